/** MNIST for Node (cli/ and tests): the same gzip files the page downloads, read from public/. */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MNIST_FILES, loadDataWrapper, type MnistData, type MnistGzFiles, type MnistFileKey } from './mnist';

/** Where scripts/prepare-data.mjs writes the compressed files. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** Read the four gzip files from `dir` (default public/); a clear error when they are missing. */
export function readMnistFiles(dir = PUBLIC_DIR): MnistGzFiles {
  const entries = Object.entries(MNIST_FILES).map(([key, name]) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run prepare-data\` (npm install does it too)`);
    return [key, new Uint8Array(readFileSync(path))] as const;
  });
  return Object.fromEntries(entries) as Record<MnistFileKey, Uint8Array>;
}

/** The book's split, loaded from public/. */
export function loadMnist(dir?: string): MnistData {
  return loadDataWrapper(readMnistFiles(dir));
}
