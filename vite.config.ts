import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Serve the MNIST .gz files as the bytes they are (application/gzip). Vite's static server would label
 * them `Content-Encoding: gzip`, the browser would inflate them on the way, and the page could not show
 * honest download progress or decompress them itself with pako.
 */
function serveMnistGzip(): Plugin {
  const handler = (dir: () => string) => (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0];
    if (!/^\/[\w-]+-ubyte\.gz$/.test(path)) return next();
    const file = join(dir(), basename(path));
    if (!existsSync(file)) return next();
    res.setHeader('Content-Type', 'application/gzip');
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    createReadStream(file).pipe(res);
  };
  let publicDir = 'public';
  let outDir = 'dist';
  return {
    name: 'serve-mnist-gzip',
    configResolved(config) {
      publicDir = config.publicDir;
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(handler(() => publicDir));
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler(() => outDir));
    },
  };
}

/**
 * The production page's Content-Security-Policy: everything from its own origin, no inline script and no
 * eval (WebAssembly compiles in the workers, which the page's policy does not cover). Only in builds:
 * the dev server injects an inline script for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
  };
}

export default defineConfig({
  plugins: [react(), serveMnistGzip(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'cli/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
