/**
 * MNIST for the Web Worker: fetch the shipped gzip files with download progress, and keep them in the
 * Cache Storage so that the next visit (online or not) reads them from disk. No wait is endless: a file
 * that sends nothing for `stallMs` (no headers, or a body that stops) or that is not complete within
 * `totalMs` ends the download with a message that names it; the other files are cancelled with it.
 */
import { errorMessage, storageReason } from '../nn/format';
import { gunzip } from './inflate';
import { loadDataWrapper, MNIST_FILES, MNIST_SHA256, MnistReader, type MnistData, type MnistFileKey, type MnistGzFiles } from './mnist';

/** Bytes received so far out of the total (0 when the server does not say). */
export interface DownloadProgress {
  loaded: number;
  total: number;
}

/** How long a download may go without a byte, and how long it may take in all. */
export interface DownloadLimits {
  stallMs: number;
  totalMs: number;
}

/** 20 s without a byte is a stalled connection; 10 minutes brings 11 MB even at 150 kbit/s. */
export const DOWNLOAD_LIMITS: DownloadLimits = { stallMs: 20_000, totalMs: 10 * 60_000 };

/** `1 KB`, `9.6 MB`: how much of a file arrived, in the words of the page. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1e6) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function formatDuration(ms: number): string {
  return ms < 60_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Time between two progress reports: a file arrives in a hundred or more pieces, and a report per piece
 * kept the page's thread re-rendering (and a core busy) while the data decompressed.
 */
const PROGRESS_INTERVAL_MS = 100;

/** `report`, but at most once every `ms` within a phase; a new phase and the end of one always go through. */
function atMostEvery(ms: number, report: (p: LoadProgress) => void): (p: LoadProgress) => void {
  let last: LoadProgress | null = null;
  let at = -Infinity;
  return (p) => {
    const now = performance.now();
    if (last && p.phase === last.phase && p.fraction < 1 && now - at < ms) return;
    last = p;
    at = now;
    report(p);
  };
}

/** Loading MNIST: downloading the gzip files (or reading the kept copy), then decompressing and parsing them. */
export interface LoadProgress {
  phase: 'download' | 'decompress';
  /** 0..1 of this phase. */
  fraction: number;
}

/**
 * The Cache Storage where the four files are kept after a first good load, under their full URLs (two
 * copies of the app under different paths keep their own). The service worker leaves these URLs alone:
 * keeping them here works on the very first visit, before any service worker controls the page.
 */
export const MNIST_CACHE = 'mnist-live-data-v1';

/**
 * MNIST from the files next to the page at `baseUrl`: from the kept copy when there is a good one, else
 * downloaded, parsed, and then kept. Without Cache Storage (a page on plain http that is not localhost)
 * it simply downloads.
 */
export async function loadMnist(
  baseUrl: string,
  reportProgress: (p: LoadProgress) => void,
  limits: DownloadLimits = DOWNLOAD_LIMITS,
): Promise<LoadedMnist> {
  const onProgress = atMostEvery(PROGRESS_INTERVAL_MS, reportProgress);
  const cache = await openCache();
  const urls = Object.fromEntries(Object.entries(MNIST_FILES).map(([key, name]) => [key, new URL(name, baseUrl).href])) as Record<
    MnistFileKey,
    string
  >;
  const kept = cache && (await readKept(cache, urls));
  let notice: string | undefined;
  if (kept) {
    onProgress({ phase: 'download', fraction: 1 });
    try {
      // Checked against the book's digests before use: a copy that still decompresses may be another file.
      const files = await bookFiles(kept);
      if (typeof files !== 'string') return { ...parseWithProgress(files, onProgress), kept: true };
      notice = `The copy of MNIST kept in this browser was damaged (${files}); it was downloaded again.`;
    } catch (error) {
      notice = `The copy of MNIST kept in this browser was damaged (${errorMessage(error)}); it was downloaded again.`;
    }
    // A damaged copy (a disk error, an older format, another file) is dropped and the files are downloaded again.
    await Promise.all(Object.values(urls).map((url) => cache.delete(url))).catch(() => {});
  }
  // Each file is decompressed and parsed while it downloads: on a fast connection that hides most of the work.
  // A file that does not decode is named once the download is over, so that a connection that failed
  // (and sent a few bytes that do not decode) is still reported as the connection's failure.
  const reader = new MnistReader();
  let broken: unknown = null;
  const files = await fetchMnistFiles(
    baseUrl,
    (p) => onProgress({ phase: 'download', fraction: p.total ? Math.min(1, p.loaded / p.total) : 0 }),
    limits,
    (key, piece) => {
      if (broken) return;
      try {
        reader.push(key, piece);
      } catch (error) {
        broken = error;
      }
    },
  );
  if (broken) throw broken;
  onProgress({ phase: 'decompress', fraction: 1 });
  const data: LoadedMnist = reader.finish();
  // Kept only once they parsed and are the book's files; a full disk costs the offline copy, not this load.
  data.kept = false;
  if (cache) {
    const checked = await bookFiles(files).catch((error: unknown) => errorMessage(error));
    if (typeof checked === 'string')
      notice = `The server’s copy of MNIST is not the book’s (${checked}): it is used on this page, but not kept.`;
    else {
      const refused = await keep(cache, urls, files).then(
        () => null,
        (error: unknown) => storageReason(error),
      );
      data.kept = refused === null;
      if (refused) {
        // A part kept is no use: the next visit downloads all four again.
        await Promise.all(Object.values(urls).map((url) => cache.delete(url))).catch(() => {});
        notice = `MNIST could not be kept in this browser (${refused}): the page works, but needs the network to load it on your next visit.`;
      }
    }
  }
  if (notice) data.notice = notice;
  return data;
}

/**
 * MNIST as loaded, with what the page should be told of it: a damaged kept copy replaced, say, and
 * whether a good copy is now kept in this browser (the page works offline only then).
 */
export type LoadedMnist = MnistData & { notice?: string; kept?: boolean };

/**
 * The four files decompressed (the idx bytes, which the reader takes as they are), if each is the book's
 * file by its SHA-256; else which one is not, in words.
 */
async function bookFiles(files: MnistGzFiles): Promise<MnistGzFiles | string> {
  const keys = Object.keys(MNIST_FILES) as MnistFileKey[];
  const idx = keys.map((key) => {
    const bytes = files[key];
    // A server that sent the .gz with Content-Encoding: gzip had the browser inflate it already.
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes, MNIST_FILES[key]) : bytes;
  });
  const digests = await Promise.all(idx.map((bytes) => crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  const wrong = keys.filter((key, i) => hex(digests[i]) !== MNIST_SHA256[key]);
  if (wrong.length)
    return `${wrong.map((key) => MNIST_FILES[key]).join(', ')} ${wrong.length === 1 ? 'is not' : 'are not'} the book’s file by its SHA-256`;
  return Object.fromEntries(keys.map((key, i) => [key, idx[i]])) as MnistGzFiles;
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseWithProgress(files: MnistGzFiles, onProgress: (p: LoadProgress) => void): MnistData {
  const count = Object.keys(MNIST_FILES).length;
  let done = 0;
  onProgress({ phase: 'decompress', fraction: 0 });
  const data = loadDataWrapper(files, () => onProgress({ phase: 'decompress', fraction: done++ / count }));
  onProgress({ phase: 'decompress', fraction: 1 });
  return data;
}

async function openCache(): Promise<Cache | null> {
  try {
    return (await globalThis.caches?.open(MNIST_CACHE)) ?? null;
  } catch {
    return null; // no Cache Storage here (an insecure context, a private window that refuses it)
  }
}

async function readKept(cache: Cache, urls: Record<MnistFileKey, string>): Promise<MnistGzFiles | null> {
  try {
    const entries = await Promise.all(
      Object.entries(urls).map(async ([key, url]) => {
        const response = await cache.match(url);
        return [key, response ? new Uint8Array(await response.arrayBuffer()) : null] as const;
      }),
    );
    return entries.every(([, bytes]) => bytes) ? (Object.fromEntries(entries) as MnistGzFiles) : null;
  } catch {
    return null;
  }
}

/** Keep the four files; rejects with the first refusal once every write has ended (so none is still on its way). */
async function keep(cache: Cache, urls: Record<MnistFileKey, string>, files: MnistGzFiles): Promise<void> {
  const writes = await Promise.allSettled(
    (Object.keys(urls) as MnistFileKey[]).map((key) =>
      cache.put(
        urls[key],
        new Response(files[key] as Uint8Array<ArrayBuffer>, {
          headers: { 'Content-Type': 'application/gzip', 'Content-Length': String(files[key].length) },
        }),
      ),
    ),
  );
  const refused = writes.find((write) => write.status === 'rejected');
  if (refused) throw refused.reason;
}

/** Why one file's download ended early: set just before its request is aborted. */
class DownloadEnded extends Error {}
/** A file cancelled because another one failed: never the reason shown. */
class Cancelled extends DownloadEnded {}

/**
 * The time limits of one download: it ends (through `end`) when nothing arrives for `limits.stallMs`, or
 * when it takes longer than `limits.totalMs`. `arrived()` after each piece; `dispose()` once it is over.
 */
function downloadWatchdog(name: string, limits: DownloadLimits, end: (reason: DownloadEnded) => void, sofar: () => string) {
  let stall: ReturnType<typeof setTimeout> | undefined;
  const arrived = () => {
    clearTimeout(stall);
    stall = setTimeout(
      () =>
        end(
          new DownloadEnded(
            `the download of ${name} stopped: nothing arrived for ${formatDuration(limits.stallMs)} (after ${sofar()}). Check the connection and retry.`,
          ),
        ),
      limits.stallMs,
    );
  };
  const budget = setTimeout(
    () =>
      end(
        new DownloadEnded(
          `the download of ${name} took longer than ${formatDuration(limits.totalMs)} (${sofar()} arrived). Check the connection and retry.`,
        ),
      ),
    limits.totalMs,
  );
  arrived();
  return {
    arrived,
    dispose: () => {
      clearTimeout(stall);
      clearTimeout(budget);
    },
  };
}

/**
 * A response's body as one array; `onPiece(bytes)` after each piece arrives. A connection that drops is
 * named with what had arrived, unless the download was ended on purpose (`ended()` gives why).
 */
async function readBody(
  response: Response,
  name: string,
  onPiece: (piece: Uint8Array) => void,
  ended: () => DownloadEnded | null,
  sofar: () => string,
): Promise<Uint8Array> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onPiece(bytes);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw (
        ended() ??
        new Error(
          `Could not download ${name}: the connection dropped after ${sofar()} (${errorMessage(error)}). Check the connection and retry.`,
          {
            cause: error,
          },
        )
      );
    }
    if (chunk.done) break;
    chunks.push(chunk.value);
    onPiece(chunk.value);
  }
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Fetch the four files from `baseUrl` (the app's root), reporting bytes as they arrive; `onPiece` gets
 * each piece of each file in order as it arrives (an error it throws ends the download with that error).
 */
export async function fetchMnistFiles(
  baseUrl: string,
  onProgress: (p: DownloadProgress) => void,
  limits: DownloadLimits = DOWNLOAD_LIMITS,
  onPiece: (key: MnistFileKey, piece: Uint8Array) => void = () => {},
): Promise<MnistGzFiles> {
  const keys = Object.keys(MNIST_FILES) as MnistFileKey[];
  const loaded = keys.map(() => 0);
  const totals = keys.map(() => 0);
  // One failure cancels every file: there is no use downloading the rest.
  const everything = new AbortController();
  const report = () => onProgress({ loaded: loaded.reduce((a, b) => a + b, 0), total: totals.reduce((a, b) => a + b, 0) });

  const download = async (key: MnistFileKey, i: number): Promise<Uint8Array> => {
    const name = MNIST_FILES[key];
    const request = new AbortController();
    let ended: DownloadEnded | null = null;
    const end = (reason: DownloadEnded) => {
      ended ??= reason;
      request.abort(ended);
    };
    const onCancel = () => end(new Cancelled(`Could not download ${name}: another file failed first.`));
    everything.signal.addEventListener('abort', onCancel);
    const sofar = () => `${formatBytes(loaded[i])}${totals[i] ? ` of ${formatBytes(totals[i])}` : ''}`;
    const watchdog = downloadWatchdog(name, limits, end, sofar);
    try {
      let response: Response;
      try {
        response = await fetch(new URL(name, baseUrl), { signal: request.signal });
      } catch (error) {
        if (ended) throw ended;
        throw new Error(
          `Could not download ${name}: the network request failed (${errorMessage(error)}). Check the connection and retry.`,
          {
            cause: error,
          },
        );
      }
      if (!response.ok) throw new Error(`Could not download ${name}: the server answered ${response.status} ${response.statusText}.`);
      totals[i] = Number(response.headers.get('content-length')) || 0;
      watchdog.arrived();
      const arrived = (piece: Uint8Array) => {
        watchdog.arrived();
        loaded[i] += piece.length;
        report();
        onPiece(key, piece);
      };
      return await readBody(response, name, arrived, () => ended, sofar);
    } catch (error) {
      everything.abort();
      throw error;
    } finally {
      watchdog.dispose();
      everything.signal.removeEventListener('abort', onCancel);
    }
  };

  const settled = await Promise.allSettled(keys.map(download));
  // Report the failure that came first, not a file that was cancelled because of it.
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  const cause = failures.find((e) => !(e instanceof Cancelled)) ?? failures[0];
  if (cause) throw cause;
  return Object.fromEntries(keys.map((key, i) => [key, (settled[i] as PromiseFulfilledResult<Uint8Array>).value])) as MnistGzFiles;
}
