import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchMnistFiles } from './source-browser';

/** A real HTTP server on loopback; `serve` decides per file what the client gets. */
let server: Server | null = null;
async function serveWith(serve: (file: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => serve((req.url ?? '').slice(1), res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

const small = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '3' });
  res.end(Buffer.from([1, 2, 3]));
};
const limits = { stallMs: 300, totalMs: 5000 };

describe('downloading MNIST in the browser', () => {
  it('fetches the four files with progress', async () => {
    const base = await serveWith((_, res) => small(res));
    const seen: number[] = [];
    const files = await fetchMnistFiles(base, (p) => seen.push(p.loaded), limits);
    expect(Object.values(files).map((b) => [...b])).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(seen.at(-1)).toBe(12);
  });

  it('ends a body that stops arriving, naming the file and how much came', async () => {
    const base = await serveWith((file, res) => {
      if (file !== 'train-images-idx3-ubyte.gz') return small(res);
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '9600000' });
      res.write(Buffer.alloc(1000)); // and then nothing
    });
    const started = Date.now();
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow(
      'the download of train-images-idx3-ubyte.gz stopped: nothing arrived for 0.3 s (after 1 KB of 9.6 MB). Check the connection and retry.',
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('ends a request that gets no answer at all', async () => {
    const base = await serveWith((file, res) => (file === 't10k-labels-idx1-ubyte.gz' ? undefined : small(res)));
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow(/^the download of t10k-labels-idx1-ubyte\.gz stopped: nothing arrived/);
  });

  it('ends a download that trickles past its total budget', async () => {
    const base = await serveWith((file, res) => {
      if (file !== 't10k-images-idx3-ubyte.gz') return small(res);
      res.writeHead(200, { 'content-type': 'application/gzip' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(Buffer.alloc(10))), 50);
    });
    await expect(fetchMnistFiles(base, () => {}, { stallMs: 300, totalMs: 700 })).rejects.toThrow(
      /^the download of t10k-images-idx3-ubyte\.gz took longer than 0.7 s \(\d+ bytes arrived\)/,
    );
  });

  it('names the file when the connection drops mid-way', async () => {
    const base = await serveWith((file, res) => {
      if (file !== 'train-labels-idx1-ubyte.gz') return small(res);
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '60008' });
      res.write(Buffer.alloc(2000), () => res.destroy());
    });
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow(
      /^Could not download train-labels-idx1-ubyte\.gz: the connection dropped after 2 KB of 60 KB/,
    );
  });

  it('says what the server answered', async () => {
    const base = await serveWith((file, res) => (file === 't10k-labels-idx1-ubyte.gz' ? res.writeHead(404, 'Not Found').end() : small(res)));
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow('Could not download t10k-labels-idx1-ubyte.gz: the server answered 404 Not Found.');
  });
});
