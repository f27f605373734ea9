/**
 * The book's run from the command line: `npm run train -- --hidden 30 --epochs 30 --batch 10 --eta 3`
 * prints network.py's line after each epoch. Same engine and data as the page.
 */
import { parseArgs } from 'node:util';
import { Network } from '../src/nn/network';
import { KERNEL_CHOICES, trainerFor, type KernelChoice } from '../src/nn/kernels';
import { wasmKernelAvailable } from '../src/nn/wasm-trainer';
import { runSgd, sgdOptionsFor } from '../src/nn/sgd';
import { sliceDataset } from '../src/nn/dataset';
import { errorMessage, formatDiverged, formatEarlyStop, formatEpochLine, formatLoadedLine, formatSizes } from '../src/nn/format';
import { DEFAULT_CONFIG, networkSizes, type ConfigField, type TrainConfig } from '../src/nn/config';
import { parseTrainConfig, SETTINGS } from '../src/nn/settings';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../src/data/source-node';
import type { MnistData } from '../src/data/mnist';
import { compareRuns, formatComparison, isBookRun, type RunOutcome } from '../src/nn/comparison';
import { hasStalled } from '../src/nn/stalls';
import { parseNetwork2Json, toNetwork2Json } from '../src/nn/model-io';
import { BOOK_EXPERIMENTS, type BookExperiment } from '../src/nn/book';
import { CHAPTER6_IDS, trainChapter6, type Chapter6Options } from './train-network3';
import { describeLayers, NETWORK3_LADDER } from '../src/nn/network3/ladder';
import { Network3 } from '../src/nn/network3/network3';
import { parseNetwork3Json, toNetwork3Json } from '../src/nn/network3/model-io3';
import { network3Trainer } from '../src/nn/network3/sgd3';
import { ensembleCorrect } from '../src/nn/network3/ensemble';
import { readInput } from '../src/nn/math';

/** The most seeds one command trains per network. */
const MAX_SEEDS = 100;

/** The settings that are flags of the CLI, by flag (from nn/settings.ts, where the page's fields come from too). */
const FLAGS = new Map(SETTINGS.flatMap((s) => (s.cli ? [[s.cli.flag, { ...s.cli, field: s.field as ConfigField }] as const] : [])));

/** `  --flag ARG       help`, continued lines indented under the help. */
function helpLine(flag: string, arg: string | undefined, help: string): string {
  const name = `  --${flag}${arg ? ` ${arg}` : ''}`;
  const lines = help.split('\n');
  const first = name.length < 19 ? `${name.padEnd(19)}${lines[0]}` : `${name}  ${lines[0]}`;
  return [first, ...lines.slice(1).map((line) => `${' '.repeat(19)}${line}`)].join('\n');
}

const HELP = `Train the network of Nielsen's network.py on MNIST and print the book's line per epoch.

Usage: npm run train -- [options]

${[...FLAGS].map(([flag, { arg, help }]) => helpLine(flag, arg, help)).join('\n')}
${helpLine('book', 'ID', `one of the book's MNIST experiments, with the book's settings (only --seeds and --kernel go with it):\n${BOOK_EXPERIMENTS.map((e) => e.id).join(', ')}`)}
${helpLine('chapter6', 'ID', `one of chapter 6's convolutional networks (network3.py), with the book's settings and its lines; --epochs,\n--examples, --seed (or --seeds LIST: several networks, then their vote, the book's ensemble), --save and\n--kernel (auto, wasm or js) go with it: ${CHAPTER6_IDS.join(', ')}`)}
${helpLine('seeds', 'LIST', `train each network once per seed: a range 1-10 or a list 1,4,7 (at most ${MAX_SEEDS})`)}
${helpLine('save', 'FILE', "after training, write the network in network2.py's JSON format (its save()); with --chapter6,\nin this project's chapter 6 format (src/nn/network3/model-io3.ts), which --load reads too")}
${helpLine('load', 'FILE', 'read a network in that format (saved here or by the book\'s Python code), print its\ntest accuracy as "Loaded model 784-30-10: 9512 / 10000" and exit')}
${helpLine('kernel', 'K', 'auto (the default: the fastest here), wasm (the fastest WebAssembly build), relaxed (WebAssembly\nrelaxed SIMD, fused multiply-add), simd (WebAssembly 128-bit SIMD) or js (the readable TypeScript path)')}
  -h, --help       show this help

Each epoch prints "Epoch E: correct / 10000, took S seconds", where S is that epoch's training time.
With several networks or seeds the runs go one after another, each line begins with its run's name
("784-100-10 seed 3 · Epoch 0: …"), and a table at the end sums the runs up per network.`;

function usageError(message: string): never {
  process.stderr.write(`train: ${message} (see --help)\n`);
  process.exit(2);
}

/** --load: read a network2.py model file and print its test accuracy. */
function loadAndEvaluate(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    usageError(`--load: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (/"format"\s*:\s*"network3"/.test(text)) {
    loadChapter6(path, text);
    return;
  }
  let model;
  try {
    model = parseNetwork2Json(text);
  } catch (error) {
    usageError(`--load: ${path}: ${errorMessage(error)}`);
  }
  const net = Network.fromParameters(model.sizes, model.weights, model.biases, { cost: model.cost });
  const data = loadMnist();
  console.log(formatLoadedLine(model.sizes, trainerFor(net, 1).evaluate(data.test), data.test.count));
}

/** --load of a chapter 6 file (model-io3.ts's format): its test accuracy on the fastest path here. */
function loadChapter6(path: string, text: string): void {
  let model;
  try {
    model = parseNetwork3Json(text);
  } catch (error) {
    usageError(`--load: ${path}: ${errorMessage(error)}`);
  }
  const net = new Network3(model.layers, { input: model.input, parameters: model.parameters });
  const data = loadMnist();
  const correct = network3Trainer(net, 1).evaluate(data.test);
  console.log(`Loaded model ${describeLayers(model.layers)}: ${correct} / ${data.test.count}`);
}

/** `1-10` or `1,4,7` as a list of seeds. */
function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text.trim());
  const seeds = range
    ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : text.split(',').map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : NaN));
  if (!seeds.length || seeds.some((seed) => !Number.isSafeInteger(seed)))
    usageError(`--seeds: expected a range like 1-10 or a list like 1,4,7, got "${text}"`);
  if (seeds.length > MAX_SEEDS) usageError(`--seeds: at most ${MAX_SEEDS} seeds, got ${seeds.length}`);
  return seeds;
}

/** The options as given; exits with a one-line message on a flag that is not one. */
function parseOptions(): Record<string, string | string[] | boolean | undefined> {
  try {
    return parseArgs({
      options: {
        ...Object.fromEntries(
          [...FLAGS].map(([flag, { arg }]) => [flag, arg ? { type: 'string' as const } : { type: 'boolean' as const }]),
        ),
        hidden: { type: 'string', multiple: true },
        seeds: { type: 'string' },
        book: { type: 'string' },
        chapter6: { type: 'string' },
        kernel: { type: 'string' },
        save: { type: 'string' },
        load: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    usageError(errorMessage(error).split('\n')[0]);
  }
}

/** The book's experiment `id` (--book), each of its networks once per seed given (else its own seed). */
function bookConfigs(id: string, values: Record<string, string | string[] | boolean | undefined>): TrainConfig[] {
  const experiment = BOOK_EXPERIMENTS.find((e) => e.id === id);
  if (!experiment) usageError(`--book: expected one of ${BOOK_EXPERIMENTS.map((e) => e.id).join(', ')}, got "${id}"`);
  const other = [...FLAGS.keys(), 'hidden', 'save', 'load'].find((flag) => values[flag] !== undefined);
  if (other) usageError(`--book sets every setting as the book does: --${other} cannot go with it`);
  const seeds = typeof values.seeds === 'string' ? parseSeeds(values.seeds) : [undefined];
  return experiment.configs.flatMap((config) => seeds.map((seed) => (seed === undefined ? config : { ...config, seed })));
}

/** Every run the options ask for, one per network and seed, each checked; exits on the first bad value. */
function configsOf(values: Record<string, string | string[] | boolean | undefined>): TrainConfig[] {
  if (typeof values.book === 'string') return bookConfigs(values.book, values);
  const input = Object.fromEntries(
    [...FLAGS].flatMap(([flag, { field }]) => (flag === 'hidden' || values[flag] === undefined ? [] : [[field, values[flag]]])),
  );
  const networks = (values.hidden as string[] | undefined) ?? [DEFAULT_CONFIG.hidden.join(',')];
  const seeds = typeof values.seeds === 'string' ? parseSeeds(values.seeds) : [undefined];
  return networks.flatMap((hidden) =>
    seeds.map((seed) => {
      const parsed = parseTrainConfig({
        ...input,
        hidden,
        ...(seed === undefined ? {} : { seed: String(seed) }),
      });
      if (!parsed.ok) {
        const { field, message } = parsed.errors[0];
        usageError(`--${[...FLAGS].find(([, flag]) => flag.field === field)![0]}: ${message}`);
      }
      return parsed.value;
    }),
  );
}

/** Train one network as `config` says, printing the book's lines (after `prefix`); returns what the summary needs. */
function trainOne(config: TrainConfig, data: MnistData, kernel: KernelChoice, prefix: string): { net: Network; outcome: RunOutcome } {
  const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
  const outcome: RunOutcome = { network: formatSizes(net.sizes), seed: config.seed, accuracy: [], seconds: [], stalled: false };
  runSgd(net, sliceDataset(data.training, 0, config.trainingExamples), config.epochs, config.miniBatchSize, config.eta, {
    ...sgdOptionsFor(config, data),
    kernel,
    onEvent: (event) => {
      if (event.kind === 'epoch') {
        console.log(prefix + formatEpochLine(event.epoch, event.correct, event.total, event.seconds));
        outcome.accuracy.push((100 * event.correct!) / event.total);
        outcome.seconds.push(event.seconds);
        outcome.stalled = hasStalled(event.testReadings!, data.test.labels);
        if (event.trainingCorrect !== null) {
          const test = `test cost ${event.testCost!.toFixed(4)}`;
          console.log(
            `${prefix}  training: ${event.trainingCorrect} / ${event.trainingTotal}, cost ${event.trainingCost!.toFixed(4)}; ${test}`,
          );
        }
      }
      if (event.kind === 'early-stop') console.log(prefix + formatEarlyStop(event));
      if (event.kind === 'diverged') {
        console.error(prefix + formatDiverged(event.epoch, config.eta, config.lambda));
        process.exitCode = 1;
      }
    },
  });
  return { net, outcome };
}

/** --chapter6 ID: a network of chapter 6, with only the flags that make sense for it. */
function chapter6(values: Record<string, string | string[] | boolean | undefined>): void {
  const preset = NETWORK3_LADDER.find((p) => p.id === values.chapter6);
  if (!preset) usageError(`--chapter6: expected one of ${CHAPTER6_IDS.join(', ')}, got "${String(values.chapter6)}"`);
  const allowed = new Set(['chapter6', 'epochs', 'examples', 'seed', 'seeds', 'kernel', 'save']);
  const other = Object.keys(values).find((flag) => values[flag] !== undefined && !allowed.has(flag));
  if (other) usageError(`--chapter6 trains the book's network as it is: --${other} cannot go with it`);
  const whole = (flag: string, low: number, high: number): number | undefined => {
    if (values[flag] === undefined) return undefined;
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < low || n > high)
      usageError(`--${flag}: expected a whole number from ${low} to ${high}, got ${String(values[flag])}`);
    return n;
  };
  const kernel = values.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js')
    usageError(`--kernel: expected auto, wasm or js with --chapter6, got ${String(kernel)}`);
  const data = loadMnist();
  const options: Omit<Chapter6Options, 'seed'> = { epochs: whole('epochs', 1, 1000), examples: whole('examples', 10, 50_000), kernel };
  if (typeof values.seeds === 'string') {
    // Several seeds: each network trained in turn, then the book's ensemble, their vote on the test set.
    if (values.save !== undefined || values.seed !== undefined)
      usageError('--seeds trains several networks: --save and --seed cannot go with it');
    const seeds = parseSeeds(values.seeds);
    const nets = seeds.map((seed) => {
      console.log(`\nSeed ${seed}:`);
      return trainChapter6(preset, data, { ...options, seed });
    });
    const readers = nets.map((net) => network3Trainer(net, 1));
    const test = data.test;
    const outputs = readers.map((reader) => {
      const x = new Float32Array(test.inputSize);
      return Array.from({ length: test.count }, (_, i) => reader.feedforward(readInput(test, i, x)));
    });
    const alone = readers.map((reader) => `${((100 * reader.evaluate(test)) / test.count).toFixed(2)}%`);
    const correct = ensembleCorrect(nets.length, test.count, test.labels, (n, i) => outputs[n][i]);
    console.log(
      `\nEnsemble of ${nets.length} (seeds ${values.seeds}), by vote: ${correct} / ${test.count} (each alone: ${alone.join(', ')})`,
    );
    return;
  }
  const net = trainChapter6(preset, data, { ...options, seed: whole('seed', 0, 2 ** 31 - 1) ?? 1 });
  if (typeof values.save === 'string') {
    writeFileSync(values.save, JSON.stringify(toNetwork3Json(net.toParameters())));
    console.log(`Saved ${describeLayers(preset.layers)} to ${values.save}`);
  }
}

function main(): void {
  const values = parseOptions();
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (typeof values.chapter6 === 'string') {
    chapter6(values);
    return;
  }
  const configs = configsOf(values);
  if (typeof values.load === 'string') {
    loadAndEvaluate(values.load);
    return;
  }
  const kernel = KERNEL_CHOICES.find((k) => k === (values.kernel ?? 'auto'));
  if (!kernel) usageError(`--kernel: expected ${KERNEL_CHOICES.join(', ')}, got ${String(values.kernel)}`);
  if ((kernel === 'relaxed' || kernel === 'simd') && !wasmKernelAvailable(kernel)) {
    usageError(
      `--kernel ${kernel}: this Node does not run it${kernel === 'relaxed' ? ' (Node 20: start it with --experimental-wasm-relaxed-simd)' : ''}`,
    );
  }
  if (configs.length > 1 && typeof values.save === 'string') usageError('--save: saves one network; this command trains several');
  const data = loadMnist();
  const outcomes: RunOutcome[] = [];
  for (const config of configs) {
    const prefix = configs.length > 1 ? `${formatSizes(networkSizes(config))} seed ${config.seed} · ` : '';
    const { net, outcome } = trainOne(config, data, kernel, prefix);
    outcomes.push(outcome);
    if (typeof values.save === 'string') {
      writeFileSync(values.save, JSON.stringify(toNetwork2Json(net.parameters())));
      console.log(`Saved ${formatSizes(net.sizes)} to ${values.save}`);
    }
  }
  if (configs.length > 1) console.log(`\n${formatComparison(compareRuns(outcomes, configs.every(isBookRun)))}`);
  const experiment: BookExperiment | undefined = BOOK_EXPERIMENTS.find((e) => e.id === values.book);
  if (experiment) console.log(`\nThe book (${experiment.title}): ${experiment.book}`);
}

main();
