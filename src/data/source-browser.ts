/** MNIST for the Web Worker: fetch the shipped gzip files with download progress. */
import { MNIST_FILES, type MnistFileKey, type MnistGzFiles } from './mnist';

/** Bytes received so far out of the total (0 when the server does not say). */
export interface DownloadProgress {
  loaded: number;
  total: number;
}

/** Fetch the four files from `baseUrl` (the app's root), reporting bytes as they arrive. */
export async function fetchMnistFiles(baseUrl: string, onProgress: (p: DownloadProgress) => void): Promise<MnistGzFiles> {
  const keys = Object.keys(MNIST_FILES) as MnistFileKey[];
  const responses = await Promise.all(
    keys.map(async (key) => {
      const url = new URL(MNIST_FILES[key], baseUrl);
      let response: Response;
      try {
        response = await fetch(url);
      } catch {
        throw new Error(`Could not download ${MNIST_FILES[key]}: the network request failed. Check the connection and retry.`);
      }
      if (!response.ok) throw new Error(`Could not download ${MNIST_FILES[key]}: the server answered ${response.status} ${response.statusText}.`);
      return response;
    }),
  );
  const totals = responses.map((r) => Number(r.headers.get('content-length')) || 0);
  const loaded = keys.map(() => 0);
  const total = totals.reduce((a, b) => a + b, 0);
  const bodies = await Promise.all(
    responses.map(async (response, i) => {
      if (!response.body) return new Uint8Array(await response.arrayBuffer());
      const chunks: Uint8Array[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded[i] += value.length;
        onProgress({ loaded: loaded.reduce((a, b) => a + b, 0), total });
      }
      const bytes = new Uint8Array(loaded[i]);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      return bytes;
    }),
  );
  return Object.fromEntries(keys.map((key, i) => [key, bodies[i]])) as MnistGzFiles;
}
