import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

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
      html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      ),
  };
}

/**
 * Offline and installable: a Workbox service worker precaches the app (HTML, scripts, styles, icons) and
 * answers every navigation with the kept index.html. The four MNIST files are not precached (that would
 * download 11 MB a second time on a first visit): the worker that loads them keeps them in the Cache
 * Storage itself (src/data/source-browser.ts). A new version waits until the person says Reload
 * (src/ui/app/use-app-update.ts), which never happens under a running training.
 */
function offlineApp(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: false,
    manifest: {
      name: 'MNIST, live — watch network.py learn',
      short_name: 'MNIST live',
      description: "Train the MNIST network of Nielsen's network.py live in your browser and watch it learn.",
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: '#f6f7f9',
      theme_color: '#1d3b72',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    includeManifestIcons: false,
    workbox: {
      globPatterns: ['**/*.{js,css,html,png}'],
      globIgnores: ['**/*-ubyte.gz', 'mnist-manifest.json'],
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      // The first visit's page is taken over as soon as the app is kept, and a new version takes over every
      // tab at once (each tab reloads when the person says so).
      clientsClaim: true,
    },
  });
}

export default defineConfig({
  // Every URL relative to the page: dist/ works under any path of any static server.
  base: './',
  plugins: [react(), serveMnistGzip(), contentSecurityPolicy(), offlineApp()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'cli/**/*.test.ts'] } },
      // The WebAssembly kernels' tests again on their relaxed-SIMD builds (fused multiply-add), which Chromium
      // runs by default and Node 20 only behind this flag.
      {
        extends: true,
        test: {
          name: 'relaxed-simd',
          include: ['src/nn/wasm-trainer.test.ts', 'src/nn/network3/network3.test.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
    ],
  },
});
