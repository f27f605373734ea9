/**
 * The book's chapter 6 ladder on MNIST: each network network3.py trains there, with its settings and the
 * figure the book reports (the test accuracy at the epoch of best validation accuracy, as network3.py
 * prints it). Pure data: the CLI's --chapter6 and the page read the same list.
 */
import { sameLayers, type Activation, type LayerSpec } from './layers';

export interface Network3Preset {
  id: string;
  /** Its short name, as a run's card and the chart name it: `conv 20-40 ReLU`. */
  name: string;
  /** What it adds, in the book's words as far as they go. */
  title: string;
  /** The book's figure in percent. */
  bookPercent: number;
  layers: LayerSpec[];
  epochs: number;
  miniBatchSize: number;
  eta: number;
  lambda: number;
  /** Train on the book's expanded data (expand_mnist.py: each digit also moved one pixel each way). */
  expand: boolean;
  url: string;
}

const CHAPTER_6 = 'http://neuralnetworksanddeeplearning.com/chap6.html';

const conv = (filters: number, activation: Activation): LayerSpec => ({
  kind: 'conv-pool',
  filters,
  filterSize: 5,
  poolSize: 2,
  activation,
});
const fc = (neurons: number, activation: Activation, dropout = 0): LayerSpec => ({ kind: 'fully-connected', neurons, activation, dropout });
const softmax = (dropout = 0): LayerSpec => ({ kind: 'softmax', neurons: 10, dropout });

/** The settings most of the ladder shares: mini-batch 10, 60 epochs, the unexpanded data, the section of chapter 6. */
const rung = (
  fields: Pick<Network3Preset, 'id' | 'name' | 'title' | 'bookPercent' | 'layers' | 'eta' | 'lambda'> & Partial<Network3Preset>,
): Network3Preset => ({
  epochs: 60,
  miniBatchSize: 10,
  expand: false,
  url: `${CHAPTER_6}#convolutional_neural_networks_in_practice`,
  ...fields,
});

export const NETWORK3_LADDER: Network3Preset[] = [
  rung({
    id: 'shallow',
    name: 'FC 100 softmax',
    title: 'Fully connected: 784-100 sigmoid, softmax output',
    bookPercent: 97.8,
    layers: [fc(100, 'sigmoid'), softmax()],
    eta: 0.1,
    lambda: 0,
  }),
  rung({
    id: 'conv1',
    name: 'conv 20',
    title: 'One conv-pool layer: 20 filters of 5 × 5, 2 × 2 max-pooling',
    bookPercent: 98.78,
    layers: [conv(20, 'sigmoid'), fc(100, 'sigmoid'), softmax()],
    eta: 0.1,
    lambda: 0,
  }),
  rung({
    id: 'conv2',
    name: 'conv 20-40',
    title: 'A second conv-pool layer of 40 filters',
    bookPercent: 99.06,
    layers: [conv(20, 'sigmoid'), conv(40, 'sigmoid'), fc(100, 'sigmoid'), softmax()],
    eta: 0.1,
    lambda: 0,
  }),
  rung({
    id: 'relu',
    name: 'conv 20-40 ReLU',
    title: 'Rectified linear units, η = 0.03, λ = 0.1',
    bookPercent: 99.23,
    layers: [conv(20, 'relu'), conv(40, 'relu'), fc(100, 'relu'), softmax()],
    eta: 0.03,
    lambda: 0.1,
  }),
  rung({
    id: 'expanded',
    name: 'conv 20-40 ReLU, expanded',
    title: 'The expanded training data (250,000 digits)',
    bookPercent: 99.37,
    layers: [conv(20, 'relu'), conv(40, 'relu'), fc(100, 'relu'), softmax()],
    eta: 0.03,
    lambda: 0.1,
    expand: true,
  }),
  rung({
    id: 'extra-fc',
    name: 'conv 20-40 ReLU, FC 100-100',
    title: 'An extra fully connected layer of 100',
    bookPercent: 99.43,
    layers: [conv(20, 'relu'), conv(40, 'relu'), fc(100, 'relu'), fc(100, 'relu'), softmax()],
    eta: 0.03,
    lambda: 0.1,
    expand: true,
  }),
  rung({
    id: 'dropout',
    name: 'conv 20-40 ReLU, dropout FC 1000-1000',
    title: 'Dropout: two fully connected layers of 1,000, dropout 0.5, 40 epochs',
    bookPercent: 99.6,
    layers: [conv(20, 'relu'), conv(40, 'relu'), fc(1000, 'relu', 0.5), fc(1000, 'relu', 0.5), softmax(0.5)],
    epochs: 40,
    eta: 0.03,
    lambda: 0,
    expand: true,
  }),
];

/** The preset `id` names, or undefined. */
export function network3Preset(id: string): Network3Preset | undefined {
  return NETWORK3_LADDER.find((preset) => preset.id === id);
}

/** The preset whose layers `layers` are (a network loaded from a file may be none of them). */
export function presetOfLayers(layers: readonly LayerSpec[]): Network3Preset | undefined {
  return NETWORK3_LADDER.find((preset) => sameLayers(preset.layers, layers));
}

/** The preset's settings in a line: `conv 20 → conv 40 → FC 100 → softmax, ReLU, η = 0.03, λ = 0.1, 60 epochs`. */
export function describeLayers(layers: readonly LayerSpec[]): string {
  return layers
    .map((layer) =>
      layer.kind === 'conv-pool'
        ? `conv ${layer.filters} (${layer.filterSize}×${layer.filterSize}, pool ${layer.poolSize}, ${layer.activation})`
        : layer.kind === 'fully-connected'
          ? `FC ${layer.neurons} (${layer.activation}${layer.dropout ? `, dropout ${layer.dropout}` : ''})`
          : `softmax ${layer.neurons}${layer.dropout ? ` (dropout ${layer.dropout})` : ''}`,
    )
    .join(' → ');
}
