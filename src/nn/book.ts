/**
 * The book's MNIST experiments (chapters 1, 3 and 5), each as the settings that reproduce it and the figure
 * the book reports. `Reproduce the book` trains each over a few seeds, so the book's one run is set beside
 * a spread, not a single number. Pure data: the page's list and the CLI's --book read the same one.
 */
import { DEFAULT_CONFIG, type TrainConfig } from './config';

export interface BookExperiment {
  id: string;
  chapter: 1 | 3 | 5;
  /** What it shows, in the book's words as far as they go. */
  title: string;
  /** The book's figure, as the book gives it. */
  book: string;
  /** The book's test accuracy in percent, where it gives one. */
  bookPercent: number | null;
  /** One setting per network it trains (each over the seeds). */
  configs: TrainConfig[];
  /** The section of the book that reports it. */
  url: string;
}

const BOOK = 'http://neuralnetworksanddeeplearning.com/';
/** network.py: quadratic cost, N(0, 1) weights, mini-batch 10, 30 epochs. */
const chapter1 = (hidden: number[], eta: number): TrainConfig => ({ ...DEFAULT_CONFIG, hidden, eta, epochs: 30 });
/** network2.py with `large_weight_initializer()`, as chapter 3 runs it until it introduces the scaled start. */
const chapter3 = (fields: Partial<TrainConfig>): TrainConfig => ({
  ...DEFAULT_CONFIG,
  cost: 'cross-entropy',
  init: 'large',
  eta: 0.5,
  epochs: 30,
  ...fields,
});
/** network2.py's defaults in chapter 5: cross-entropy, scaled start, λ = 5.0, η = 0.1, 30 epochs. */
const chapter5 = (hidden: number[]): TrainConfig => ({
  ...DEFAULT_CONFIG,
  hidden,
  cost: 'cross-entropy',
  init: 'scaled',
  lambda: 5,
  eta: 0.1,
  epochs: 30,
});

export const BOOK_EXPERIMENTS: BookExperiment[] = [
  {
    id: 'ch1-30',
    chapter: 1,
    title: '784-30-10, η = 3.0, 30 epochs',
    book: 'peak 95.42%',
    bookPercent: 95.42,
    configs: [chapter1([30], 3)],
    url: `${BOOK}chap1.html#implementing_our_network_to_classify_digits`,
  },
  {
    id: 'ch1-100',
    chapter: 1,
    title: '784-100-10, η = 3.0, 30 epochs',
    book: '96.59% (and runs that stall)',
    bookPercent: 96.59,
    configs: [chapter1([100], 3)],
    url: `${BOOK}chap1.html#implementing_our_network_to_classify_digits`,
  },
  {
    id: 'ch1-slow',
    chapter: 1,
    title: '784-100-10, η = 0.001: a learning rate far too small',
    book: 'learns far more slowly (no final figure given)',
    bookPercent: null,
    configs: [chapter1([100], 0.001)],
    url: `${BOOK}chap1.html#implementing_our_network_to_classify_digits`,
  },
  {
    id: 'ch1-fast',
    chapter: 1,
    title: '784-30-10, η = 100: a learning rate far too large',
    book: 'learns nothing useful (no final figure given)',
    bookPercent: null,
    configs: [chapter1([30], 100)],
    url: `${BOOK}chap1.html#implementing_our_network_to_classify_digits`,
  },
  {
    id: 'ch3-cross-entropy',
    chapter: 3,
    title: 'Cross-entropy: 784-30-10, η = 0.5, 30 epochs',
    book: '95.49%',
    bookPercent: 95.49,
    configs: [chapter3({ hidden: [30] })],
    url: `${BOOK}chap3.html#using_the_crossentropy_to_classify_mnist_digits`,
  },
  {
    id: 'ch3-cross-entropy-100',
    chapter: 3,
    title: 'Cross-entropy: 784-100-10, η = 0.5, 30 epochs',
    book: '96.82%',
    bookPercent: 96.82,
    configs: [chapter3({ hidden: [100] })],
    url: `${BOOK}chap3.html#using_the_crossentropy_to_classify_mnist_digits`,
  },
  {
    id: 'ch3-overfitting',
    chapter: 3,
    title: 'Overfitting: 1,000 training images, 400 epochs',
    book: 'training 100%, test 82.27%',
    bookPercent: 82.27,
    configs: [chapter3({ hidden: [30], trainingExamples: 1000, epochs: 400, monitorTraining: true })],
    url: `${BOOK}chap3.html#overfitting_and_regularization`,
  },
  {
    id: 'ch3-regularised-1000',
    chapter: 3,
    title: 'The same, regularised: λ = 0.1',
    book: '87.1%',
    bookPercent: 87.1,
    configs: [chapter3({ hidden: [30], trainingExamples: 1000, epochs: 400, lambda: 0.1, monitorTraining: true })],
    url: `${BOOK}chap3.html#regularization`,
  },
  {
    id: 'ch3-l2',
    chapter: 3,
    title: 'L2 on all 50,000: 784-30-10, λ = 5.0, η = 0.5',
    book: '96.49%',
    bookPercent: 96.49,
    configs: [chapter3({ hidden: [30], lambda: 5 })],
    url: `${BOOK}chap3.html#regularization`,
  },
  {
    id: 'ch3-98',
    chapter: 3,
    title: '784-100-10, λ = 5.0, η = 0.1, 60 epochs',
    book: '98.04%',
    bookPercent: 98.04,
    configs: [chapter3({ hidden: [100], lambda: 5, eta: 0.1, epochs: 60 })],
    url: `${BOOK}chap3.html#regularization`,
  },
  {
    id: 'ch3-init-large',
    chapter: 3,
    title: 'Initialisation: N(0, 1) start, 784-30-10, λ = 5.0, η = 0.1',
    book: 'under 87% after the first epoch (86.43%), 96.37% after 30, on the validation data',
    bookPercent: null,
    configs: [chapter3({ hidden: [30], lambda: 5, eta: 0.1 })],
    url: `${BOOK}chap3.html#weight_initialization`,
  },
  {
    id: 'ch3-init-scaled',
    chapter: 3,
    title: 'Initialisation: N(0, 1/√n) start, the same network',
    book: 'almost 93% after the first epoch (92.70%), 96.50% after 30, on the validation data',
    bookPercent: null,
    configs: [chapter3({ hidden: [30], lambda: 5, eta: 0.1, init: 'scaled' })],
    url: `${BOOK}chap3.html#weight_initialization`,
  },
  {
    id: 'ch5-deep',
    chapter: 5,
    title: 'Deeper networks: 1, 2, 3 and 4 hidden layers of 30',
    book: '96.48%, 96.90%, 96.57%, 96.53%',
    bookPercent: null,
    configs: [[30], [30, 30], [30, 30, 30], [30, 30, 30, 30]].map(chapter5),
    url: `${BOOK}chap5.html#the_vanishing_gradient_problem`,
  },
];
