/**
 * A plain static server for the built app (no Vite), for tests that need what Vite's preview cannot do:
 * a response that stalls, never comes or breaks off, or the app under a path other than `/`. `fault` may
 * take over any request; everything else is served from `root` as a static host would (index.html for the
 * directory, the right MIME types, .gz files as application/gzip without Content-Encoding). With `mount`
 * (say `/a/b/c/`) the files of `root` are served under that path, and nothing else exists.
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

/** One request as the server answered it: the bytes are those of the body it sent. */
export interface Served {
  path: string;
  status: number;
  bytes: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT/`, or with `mount`, `http://127.0.0.1:PORT/a/b/c/` */
  url: string;
  /** Every path requested so far. */
  requests: string[];
  /** Every request answered from the files so far (not those a fault took over). */
  served: Served[];
  /** Change or remove the fault while the server runs. */
  setFault(fault: Fault | null): void;
  close(): Promise<void>;
}

export async function serveStatic(root = 'dist', fault: Fault | null = null, mount = '/'): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const served: Served[] = [];
  let current = fault;
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    if (current?.(path, req, res)) return;
    const notFound = () => {
      served.push({ path, status: 404, bytes: 0 });
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    };
    if (!path.startsWith(mount)) return notFound();
    const inside = path.slice(mount.length - 1);
    const file = normalize(join(base, inside.endsWith('/') ? `${inside}index.html` : inside));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) return notFound();
    const { size } = statSync(file);
    served.push({ path, status: 200, bytes: size });
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount}`,
    requests,
    served,
    setFault: (fault) => (current = fault),
    close: () => {
      server.closeAllConnections();
      return new Promise((closed) => server.close(() => closed()));
    },
  };
}
