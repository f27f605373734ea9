/** The Web Worker entry: one trainer, exposed with Comlink, reading MNIST from the app's own origin. */
import { expose } from 'comlink';
import { fetchMnistFiles } from '../data/source-browser';
import { createTrainer } from './trainer';

expose(createTrainer({ source: (onDownload) => fetchMnistFiles(new URL(import.meta.env.BASE_URL, self.location.origin).href, (p) => onDownload(p.total ? p.loaded / p.total : 0)) }));
