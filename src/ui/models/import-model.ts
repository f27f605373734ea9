/**
 * A model file is read in a worker of its own, so a large one (tens of MB of JSON, a network that takes a
 * while to measure) never holds up the viewer, the pad or a training run, and Cancel simply ends it.
 */
import type { ImportedModel, ImportProgress, LoadProgress } from '../../worker/protocol';
import { callback, createWorkerClient, loadFromKeeper } from '../platform/worker-client';

/** What the page says while a model loads: the worker's MNIST first, then the file's phases. */
export type ModelLoadProgress = { phase: 'data'; fraction: number } | ImportProgress;

/** Thrown when the person cancelled the import. */
export class ImportCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ImportCancelled';
  }
}

/** Read, check and measure `file` in a new worker, which ends with the import; `signal` cancels it. */
export async function importModelFile(file: File, onProgress: (p: ModelLoadProgress) => void, signal: AbortSignal): Promise<ImportedModel> {
  let crashed: ((error: Error) => void) | null = null;
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  const client = createWorkerClient('inspecting', (message) => crashed?.(new Error(`the worker reading it stopped (${message})`)));
  const cancelled = new Promise<never>((_, reject) => {
    const cancel = () => reject(new ImportCancelled());
    if (signal.aborted) cancel();
    signal.addEventListener('abort', cancel, { once: true });
  });
  // Progress travels on its own message channel and can arrive after the answer: none is passed on after it.
  let settled = false;
  const report = (p: ModelLoadProgress) => !settled && onProgress(p);
  const work = (async () => {
    // A model file is measured on the test set: that set is all the worker needs.
    await loadFromKeeper(
      client,
      (p: LoadProgress) => report({ phase: 'data', fraction: p.phase === 'download' ? p.fraction / 2 : 0.5 + p.fraction / 2 }),
      ['test'],
    );
    return client.api.importModel(file, callback(report));
  })();
  try {
    return await Promise.race([work, crash, cancelled]);
  } finally {
    settled = true;
    client.terminate();
  }
}
