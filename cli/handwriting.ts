/**
 * How well the network reads handwriting that is not MNIST's, and what helps: trains a network (chapter 1
 * or chapter 3 settings, with or without expanded or distorted data), reads a set of stroke-drawn digits
 * in styles MNIST's writers seldom used (fixtures/strokes.ts), then "teaches" it the misreads of a
 * teaching part of that set, fine-tuning as the page's `Fine-tune on my digits` does, and reads the rest
 * again. Usage: npm run handwriting -- [--chapter 1|3] [--hidden N] [--epochs N] [--seed N] [--expand]
 * [--distort] [--per-style N]; or `--chapter6 FILE [--eta X] [--lambda X]` to read and teach a chapter 6 network
 * saved by `npm run train -- --chapter6 ID --save FILE` (taught with network3.py's SGD at that η and λ).
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/source-node';
import { outsideMnist } from '../fixtures/strokes';
import { DEFAULT_CONFIG, FINE_TUNE_EPOCHS, networkSizes, type TrainConfig } from '../src/nn/config';
import { sparseFromBytes } from '../src/nn/dataset';
import { Network } from '../src/nn/network';
import { argmax } from '../src/nn/math';
import { INPUTS, PIXEL_SCALE } from '../src/nn/mnist-shape';
import { runSgd, sgdOptionsFor } from '../src/nn/sgd';
import { withPersonalDigits } from '../src/nn/teach';
import type { Dataset, PersonalDigits } from '../src/nn/types';
import { readFileSync } from 'node:fs';
import { parseNetwork3Json } from '../src/nn/network3/model-io3';
import { Network3 } from '../src/nn/network3/network3';
import { describeLayers } from '../src/nn/network3/ladder';
import { network3Sgd, network3Trainer } from '../src/nn/network3/sgd3';

const { values } = parseArgs({
  options: {
    chapter: { type: 'string', default: '1' },
    hidden: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    expand: { type: 'boolean', default: false },
    distort: { type: 'boolean', default: false },
    'per-style': { type: 'string', default: '20' },
    chapter6: { type: 'string' },
    eta: { type: 'string', default: '0.03' },
    lambda: { type: 'string', default: '0.1' },
  },
});

const chapter3 = values.chapter === '3';
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  hidden: [Number(values.hidden ?? (chapter3 ? 100 : 30))],
  epochs: Number(values.epochs),
  seed: Number(values.seed),
  ...(chapter3 ? { cost: 'cross-entropy' as const, lambda: 5, init: 'scaled' as const, eta: 0.5 } : {}),
  expand: values.expand,
  distort: values.distort,
};
const perStyle = Number(values['per-style']);
/** A quarter of each style's writers is the teaching part; the rest is only ever read. */
const teachingPerStyle = Math.max(1, Math.round(perStyle / 4));

const bytesOf = (inputs: Float32Array[]): Uint8Array => {
  const bytes = new Uint8Array(inputs.length * INPUTS);
  inputs.forEach((input, i) =>
    bytes.set(
      Uint8Array.from(input, (v) => Math.round(v * 256)),
      i * INPUTS,
    ),
  );
  return bytes;
};

const data = loadMnist();
const outside = outsideMnist(perStyle, 2026, undefined, { photos: true });
const teaching = outside.filter((_, i) => i % perStyle < teachingPerStyle);
const held = outside.filter((_, i) => i % perStyle >= teachingPerStyle);
const asDataset = (inputs: Float32Array[], labels: number[]): Dataset =>
  sparseFromBytes(bytesOf(inputs), Uint8Array.from(labels), INPUTS, PIXEL_SCALE);
const heldSet = asDataset(
  held.map((d) => d.input),
  held.map((d) => d.label),
);
const heldPhotos = asDataset(
  held.map((d) => d.photo!),
  held.map((d) => d.label),
);

/** What the experiment needs of a network: a count on a set, one reading, and teaching as the page fine-tunes. */
interface Reader {
  title: string;
  evaluate(set: Dataset): number;
  reads(input: Float32Array): number;
  teach(digits: PersonalDigits): void;
}

/** A network of chapters 1–3, trained here with the options given. */
function mlpReader(): Reader {
  const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
  const train = (training: Dataset, epochs: number, options: { distort: boolean; expand: boolean }) =>
    runSgd(net, training, epochs, config.miniBatchSize, config.eta, sgdOptionsFor({ ...config, ...options }));
  train(data.training, config.epochs, { distort: config.distort, expand: config.expand });
  return {
    title:
      `${networkSizes(config).join('-')}, chapter ${chapter3 ? 3 : 1}, ${config.epochs} epochs, seed ${config.seed}` +
      `${config.expand ? ', expanded' : ''}${config.distort ? ', distorted' : ''}`,
    evaluate: (set) => net.evaluate(set),
    reads: (input) => argmax(net.feedforward(input)),
    teach: (digits) => train(withPersonalDigits(data.training, digits, config.seed), FINE_TUNE_EPOCHS, { distort: false, expand: false }),
  };
}

/** A chapter 6 network from a file, read on the fastest path here and taught with network3.py's SGD. */
function chapter6Reader(file: string): Reader {
  const model = parseNetwork3Json(readFileSync(file, 'utf8'));
  const net = new Network3(model.layers, { input: model.input, parameters: model.parameters, seed: config.seed });
  const eta = Number(values.eta);
  const lambda = Number(values.lambda);
  return {
    title: `chapter 6: ${describeLayers(model.layers)} (${file})`,
    evaluate: (set) => network3Trainer(net, 1).evaluate(set),
    reads: (input) => argmax(net.feedforward(input)),
    teach: (digits) => {
      const training = withPersonalDigits(data.training, digits, config.seed);
      for (const event of network3Sgd(net, training, FINE_TUNE_EPOCHS, 10, eta, data.validation, data.test, { lambda, shuffle: true }))
        void event;
    },
  };
}

/** Correct per style of the held-out part, for the worst styles' line. */
function byStyle(reader: Reader): string {
  const counts = new Map<string, [number, number]>();
  for (const d of held) {
    const read = reader.reads(d.input);
    const [right, all] = counts.get(d.style) ?? [0, 0];
    counts.set(d.style, [right + (read === d.label ? 1 : 0), all + 1]);
  }
  return [...counts]
    .sort((a, b) => a[1][0] / a[1][1] - b[1][0] / b[1][1])
    .slice(0, 5)
    .map(([style, [right, all]]) => `${style} ${right}/${all}`)
    .join(', ');
}

const started = performance.now();
const reader = typeof values.chapter6 === 'string' ? chapter6Reader(values.chapter6) : mlpReader();
const percent = (right: number, all: number) => `${((100 * right) / all).toFixed(1)}%`;
const mnistBefore = reader.evaluate(data.test);
const heldBefore = reader.evaluate(heldSet);
const photosBefore = reader.evaluate(heldPhotos);
console.log(`${reader.title} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
console.log(
  `  MNIST test: ${percent(mnistBefore, data.test.count)}; outside MNIST (${held.length} digits, ${held.length / (perStyle - teachingPerStyle)} styles):` +
    ` drawn ${percent(heldBefore, held.length)}, photographed ${percent(photosBefore, held.length)}`,
);
console.log(`  hardest styles: ${byStyle(reader)}`);

// Teach: the misreads among the teaching part, drawn or photographed, labelled as a person would with It's a …
const misread = teaching.flatMap((d) =>
  [d.input, d.photo!].filter((input) => reader.reads(input) !== d.label).map((input) => ({ input, label: d.label })),
);
const digits: PersonalDigits = { pixels: bytesOf(misread.map((d) => d.input)), labels: Uint8Array.from(misread, (d) => d.label) };
const misreadSet = asDataset(
  misread.map((d) => d.input),
  misread.map((d) => d.label),
);
reader.teach(digits);
console.log(
  `  taught ${misread.length} misreads of the ${2 * teaching.length} teaching digits (drawn and photographed); after fine-tuning:` +
    ` MNIST test ${percent(reader.evaluate(data.test), data.test.count)} (was ${percent(mnistBefore, data.test.count)});` +
    ` outside MNIST drawn ${percent(reader.evaluate(heldSet), held.length)} (was ${percent(heldBefore, held.length)}),` +
    ` photographed ${percent(reader.evaluate(heldPhotos), held.length)} (was ${percent(photosBefore, held.length)});` +
    ` the taught ones themselves: ${reader.evaluate(misreadSet)} of ${misread.length}`,
);
console.log(`  hardest styles now: ${byStyle(reader)}`);
