/** The Web Worker entry: one trainer, exposed with Comlink, reading MNIST from the files next to the page. */
import { expose } from 'comlink';
import { loadMnist } from '../data/source-browser';
import type { WorkerApi } from './protocol';
import { createTrainer } from './trainer';

const trainer = createTrainer({ source: (url, onProgress) => loadMnist(url, onProgress) });

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
