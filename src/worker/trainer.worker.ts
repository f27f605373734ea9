/** The Web Worker entry: one trainer, exposed with Comlink, reading MNIST from the app's own origin. */
import { expose } from 'comlink';
import { fetchMnistFiles } from '../data/source-browser';
import type { WorkerApi } from './protocol';
import { createTrainer } from './trainer';

const trainer = createTrainer({
  source: (onDownload) => fetchMnistFiles(new URL(import.meta.env.BASE_URL, self.location.origin).href, (p) => onDownload(p.total ? p.loaded / p.total : 0)),
});

/** Resolves once the lock is held; the lock itself is never given back, so it is released only when this worker ends. */
function holdLifeline(name: string): Promise<boolean> {
  const locks = (self.navigator as Partial<WorkerNavigator>).locks;
  if (!locks) return Promise.resolve(false);
  return new Promise((held) => {
    void locks.request(name, () => {
      held(true);
      return new Promise<never>(() => {});
    });
  });
}

const api: WorkerApi = Object.assign(trainer, { holdLifeline });
expose(api);
