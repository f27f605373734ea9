/**
 * How well the network reads handwriting that is not MNIST's, and what helps: trains a network (chapter 1
 * or chapter 3 settings, with or without expanded or distorted data), reads a set of stroke-drawn digits
 * in styles MNIST's writers seldom used (fixtures/strokes.ts), then "teaches" it the misreads of a
 * teaching part of that set, fine-tuning as the page's `Fine-tune on my digits` does, and reads the rest
 * again. Usage: npm run handwriting -- [--chapter 1|3] [--hidden N] [--epochs N] [--seed N] [--expand]
 * [--distort] [--per-style N]
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

const { values } = parseArgs({
  options: {
    chapter: { type: 'string', default: '1' },
    hidden: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    expand: { type: 'boolean', default: false },
    distort: { type: 'boolean', default: false },
    'per-style': { type: 'string', default: '20' },
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

function train(net: Network, training: Dataset, epochs: number, options: { distort: boolean; expand: boolean }): void {
  runSgd(net, training, epochs, config.miniBatchSize, config.eta, sgdOptionsFor({ ...config, ...options }));
}

/** The digit `net` reads in `input`. */
const reads = (net: Network, input: Float32Array): number => argmax(net.feedforward(input));

/** Correct per style of the held-out part, for the worst styles' line. */
function byStyle(net: Network): string {
  const counts = new Map<string, [number, number]>();
  for (const d of held) {
    const read = reads(net, d.input);
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
const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
train(net, data.training, config.epochs, { distort: config.distort, expand: config.expand });
const percent = (right: number, all: number) => `${((100 * right) / all).toFixed(1)}%`;
const mnistBefore = net.evaluate(data.test);
const heldBefore = net.evaluate(heldSet);
const photosBefore = net.evaluate(heldPhotos);
console.log(
  `${networkSizes(config).join('-')}, chapter ${chapter3 ? 3 : 1}, ${config.epochs} epochs, seed ${config.seed}` +
    `${config.expand ? ', expanded' : ''}${config.distort ? ', distorted' : ''} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
console.log(
  `  MNIST test: ${percent(mnistBefore, data.test.count)}; outside MNIST (${held.length} digits, ${held.length / (perStyle - teachingPerStyle)} styles):` +
    ` drawn ${percent(heldBefore, held.length)}, photographed ${percent(photosBefore, held.length)}`,
);
console.log(`  hardest styles: ${byStyle(net)}`);

// Teach: the misreads among the teaching part, drawn or photographed, labelled as a person would with It's a …
const misread = teaching.flatMap((d) =>
  [d.input, d.photo!].filter((input) => reads(net, input) !== d.label).map((input) => ({ input, label: d.label })),
);
const digits: PersonalDigits = { pixels: bytesOf(misread.map((d) => d.input)), labels: Uint8Array.from(misread, (d) => d.label) };
const misreadSet = asDataset(
  misread.map((d) => d.input),
  misread.map((d) => d.label),
);
train(net, withPersonalDigits(data.training, digits, config.seed), FINE_TUNE_EPOCHS, { distort: false, expand: false });
console.log(
  `  taught ${misread.length} misreads of the ${2 * teaching.length} teaching digits (drawn and photographed); after fine-tuning:` +
    ` MNIST test ${percent(net.evaluate(data.test), data.test.count)} (was ${percent(mnistBefore, data.test.count)});` +
    ` outside MNIST drawn ${percent(net.evaluate(heldSet), held.length)} (was ${percent(heldBefore, held.length)}),` +
    ` photographed ${percent(net.evaluate(heldPhotos), held.length)} (was ${percent(photosBefore, held.length)});` +
    ` the taught ones themselves: ${net.evaluate(misreadSet)} of ${misread.length}`,
);
console.log(`  hardest styles now: ${byStyle(net)}`);
