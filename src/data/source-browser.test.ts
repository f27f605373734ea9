import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchMnistFiles, loadMnist, MNIST_CACHE } from './source-browser';
import { PUBLIC_DIR } from './source-node';

/** A real HTTP server on loopback; `serve` decides per file what the client gets. */
let server: Server | null = null;
async function serveWith(serve: (file: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => serve((req.url ?? '').slice(1), res));
  // Node's fetch reuses idle connections; the server must not close one (after its default 5 s) just as
  // a slow, busy machine reuses it, which ends the next download with ECONNRESET.
  server.keepAliveTimeout = 120_000;
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
// Short enough to keep the tests quick, long enough that the files that do arrive never look stalled on a busy machine.
const limits = { stallMs: 1000, totalMs: 8000 };

describe('downloading MNIST in the browser', () => {
  it('fetches the four files with progress', async () => {
    const base = await serveWith((_, res) => small(res));
    const seen: number[] = [];
    const files = await fetchMnistFiles(base, (p) => seen.push(p.loaded), limits);
    expect(Object.values(files).map((b) => [...b])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
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
      'the download of train-images-idx3-ubyte.gz stopped: nothing arrived for 1 s (after 1 KB of 9.6 MB). Check the connection and retry.',
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('names the stalled download, not the few bytes it sent that do not decode, when loading', async () => {
    vi.stubGlobal('caches', undefined); // no Cache Storage: a plain download
    const base = await serveWith((file, res) => {
      if (file !== 'train-images-idx3-ubyte.gz') return small(res);
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '9600000' });
      res.write(Buffer.alloc(1000)); // not gzip, and then nothing
    });
    await expect(loadMnist(base, () => {}, limits)).rejects.toThrow('the download of train-images-idx3-ubyte.gz stopped');
    vi.unstubAllGlobals();
  });

  it('ends a request that gets no answer at all', async () => {
    const base = await serveWith((file, res) => (file === 't10k-labels-idx1-ubyte.gz' ? undefined : small(res)));
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow(
      /^the download of t10k-labels-idx1-ubyte\.gz stopped: nothing arrived/,
    );
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
    const base = await serveWith((file, res) =>
      file === 't10k-labels-idx1-ubyte.gz' ? res.writeHead(404, 'Not Found').end() : small(res),
    );
    await expect(fetchMnistFiles(base, () => {}, limits)).rejects.toThrow(
      'Could not download t10k-labels-idx1-ubyte.gz: the server answered 404 Not Found.',
    );
  });
});

/** The Cache Storage of a browser, in memory: what the worker finds there on the next visit. */
class MemoryCache {
  readonly entries = new Map<string, Uint8Array>();
  async match(url: string): Promise<Response | undefined> {
    const bytes = this.entries.get(url);
    return bytes && new Response(bytes.slice());
  }
  async put(url: string, response: Response): Promise<void> {
    this.entries.set(url, new Uint8Array(await response.arrayBuffer()));
  }
  async delete(url: string): Promise<boolean> {
    return this.entries.delete(url);
  }
}

describe('keeping MNIST in the browser', () => {
  /** The real files from public/, counting what the server sends. */
  async function serveMnist() {
    const sent: string[] = [];
    const base = await serveWith((file, res) => {
      sent.push(file);
      const bytes = readFileSync(join(PUBLIC_DIR, file.split('/').pop()!));
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length }).end(bytes);
    });
    return { base: `${base}a/b/`, sent };
  }
  const withCache = (cache: MemoryCache) => {
    const open = vi.fn(async (name: string) => (name === MNIST_CACHE ? cache : Promise.reject(new Error(`unexpected cache ${name}`))));
    vi.stubGlobal('caches', { open });
    return open;
  };
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('downloads the files next to the page once; the next load reads the kept copy and asks the server nothing', async () => {
    const { base, sent } = await serveMnist();
    const cache = new MemoryCache();
    withCache(cache);
    const first = await loadMnist(base, () => {});
    expect(sent.sort()).toEqual([
      'a/b/t10k-images-idx3-ubyte.gz',
      'a/b/t10k-labels-idx1-ubyte.gz',
      'a/b/train-images-idx3-ubyte.gz',
      'a/b/train-labels-idx1-ubyte.gz',
    ]);
    expect([...cache.entries.keys()].sort()).toEqual(sent.map((file) => new URL(file.slice(4), base).href).sort());
    const phases: string[] = [];
    const second = await loadMnist(base, (p) => phases.push(`${p.phase} ${p.fraction}`));
    expect(sent).toHaveLength(4);
    expect(phases[0]).toBe('download 1');
    expect(phases.at(-1)).toBe('decompress 1');
    // Byte for byte the same digits (toEqual on 9 million elements would take a minute).
    expect(Buffer.compare(second.training.values, first.training.values)).toBe(0);
    expect(Buffer.compare(second.test.labels, first.test.labels)).toBe(0);
  });

  it('drops a damaged kept copy and downloads the files again', async () => {
    const { base, sent } = await serveMnist();
    const cache = new MemoryCache();
    withCache(cache);
    await loadMnist(base, () => {});
    const labels = new URL('t10k-labels-idx1-ubyte.gz', base).href;
    cache.entries.set(labels, cache.entries.get(labels)!.subarray(0, 100));
    const data = await loadMnist(base, () => {});
    expect(data.test.count).toBe(10_000);
    expect(sent).toHaveLength(8);
    expect(cache.entries.get(labels)!.length).toBeGreaterThan(100);
  });

  it('checks a kept copy against the book’s digests: other files that still parse are dropped, downloaded again, and the page told', async () => {
    const { base, sent } = await serveMnist();
    const cache = new MemoryCache();
    withCache(cache);
    expect((await loadMnist(base, () => {})).notice).toBeUndefined();
    const url = (name: string) => new URL(name, base).href;
    // The test files replaced by the training files: they decompress and parse, as 60,000 test digits.
    cache.entries.set(url('t10k-images-idx3-ubyte.gz'), cache.entries.get(url('train-images-idx3-ubyte.gz'))!);
    cache.entries.set(url('t10k-labels-idx1-ubyte.gz'), cache.entries.get(url('train-labels-idx1-ubyte.gz'))!);
    const data = await loadMnist(base, () => {});
    expect(data.test.count).toBe(10_000);
    expect(sent).toHaveLength(8);
    expect(data.notice).toBe(
      'The copy of MNIST kept in this browser was damaged (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz are not the book’s file by its SHA-256); it was downloaded again.',
    );
    // All-zero training labels, gzipped as they would be: the same.
    const labels = readFileSync(join(PUBLIC_DIR, 'train-labels-idx1-ubyte.gz'));
    const zeroed = Buffer.from(gunzipSync(labels));
    zeroed.fill(0, 8);
    cache.entries.set(url('train-labels-idx1-ubyte.gz'), gzipSync(zeroed));
    const again = await loadMnist(base, () => {});
    expect(again.notice).toContain('(train-labels-idx1-ubyte.gz is not the book’s file by its SHA-256)');
    expect(new Set(again.training.labels).size).toBe(10);
    expect((await loadMnist(base, () => {})).notice).toBeUndefined();
  });

  it('uses a server’s copy that is not the book’s, says so, and keeps none of it', async () => {
    const cache = new MemoryCache();
    withCache(cache);
    const base = await serveWith((file, res) => {
      const name = file.split('/').pop()!;
      let bytes = readFileSync(join(PUBLIC_DIR, name));
      if (name === 't10k-labels-idx1-ubyte.gz') {
        const labels = Buffer.from(gunzipSync(bytes));
        labels[8] = (labels[8] + 1) % 10;
        bytes = gzipSync(labels);
      }
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length }).end(bytes);
    });
    const data = await loadMnist(base, () => {});
    expect(data.notice).toBe(
      'The server’s copy of MNIST is not the book’s (t10k-labels-idx1-ubyte.gz is not the book’s file by its SHA-256): it is used on this page, but not kept.',
    );
    expect(cache.entries.size).toBe(0);
  });

  it('keeps nothing that does not parse, and still loads where Cache Storage refuses', async () => {
    const cache = new MemoryCache();
    withCache(cache);
    const broken = await serveWith((_, res) => small(res));
    await expect(loadMnist(broken, () => {}, limits)).rejects.toThrow('not a gzip file');
    expect(cache.entries.size).toBe(0);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));

    vi.stubGlobal('caches', { open: () => Promise.reject(new DOMException('refused', 'SecurityError')) });
    const { base } = await serveMnist();
    expect((await loadMnist(base, () => {})).training.count).toBe(50_000);
  });
});
