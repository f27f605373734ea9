/**
 * The training worker's entry: one run at a time, exposed with Comlink. It gets MNIST from the page's
 * keeper (an inspecting worker), never from the files, so no download or decompression code is bundled here.
 */
import { expose } from 'comlink';
import type { TrainingWorkerApi } from './protocol';
import { createTraining } from './training';
import { holdLifeline } from './lifeline';

const fromKeeperOnly = () => Promise.reject(new Error('a training worker gets MNIST from the page’s keeper, not from the files'));
const api: TrainingWorkerApi = { ...createTraining(fromKeeperOnly), holdLifeline };
expose(api);
