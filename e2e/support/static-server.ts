/**
 * A plain static server for the built app (no Vite), for tests that need what Vite's preview cannot do:
 * a response that stalls, never comes or breaks off. `fault` may take over any request; everything else
 * is served from `root` as a static host would (index.html for the directory, the right MIME types,
 * .gz files as application/gzip without Content-Encoding).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** Takes over a request by answering it (return true), or leaves it to the static files (false). */
export type Fault = (path: string, req: IncomingMessage, res: ServerResponse) => boolean;

export interface StaticServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Every path requested so far. */
  requests: string[];
  /** Change or remove the fault while the server runs. */
  setFault(fault: Fault | null): void;
  close(): Promise<void>;
}

export async function serveStatic(root = 'dist', fault: Fault | null = null): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  let current = fault;
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    if (current?.(path, req, res)) return;
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    setFault: (fault) => (current = fault),
    close: () => {
      server.closeAllConnections();
      return new Promise((closed) => server.close(() => closed()));
    },
  };
}
