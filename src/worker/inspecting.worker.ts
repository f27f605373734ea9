/**
 * The inspecting worker's entry: one network to look at, exposed with Comlink. The page's first one (the
 * viewer's) is its keeper of MNIST, reading the files next to the page; the others get a copy from it.
 */
import { expose } from 'comlink';
import { loadMnist } from '../data/source-browser';
import type { InspectingWorkerApi } from './protocol';
import { createInspecting } from './inspecting';
import { holdLifeline } from './lifeline';

const api: InspectingWorkerApi = { ...createInspecting((url, onProgress) => loadMnist(url, onProgress)), holdLifeline };
expose(api);
