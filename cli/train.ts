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
import { DEFAULT_CONFIG, networkSizes, parseTrainConfig, type ConfigField, type TrainConfig } from '../src/nn/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../src/data/source-node';
import type { MnistData } from '../src/data/mnist';
import { compareRuns, formatComparison, isBookRun, type RunOutcome } from '../src/nn/comparison';
import { hasStalled } from '../src/nn/stalls';
import { parseNetwork2Json, toNetwork2Json } from '../src/nn/model-io';

/** The most seeds one command trains per network. */
const MAX_SEEDS = 100;

const HELP = `Train the network of Nielsen's network.py on MNIST and print the book's line per epoch.

Usage: npm run train -- [options]

  --hidden LIST    hidden layer sizes of one network, comma-separated, e.g. 30 or 100,30 (two hidden
                   layers); repeat it to train several networks: --hidden 30 --hidden 100 (default ${DEFAULT_CONFIG.hidden.join(',')})
  --epochs N       passes over the training data (default ${DEFAULT_CONFIG.epochs})
  --batch N        mini-batch size (default ${DEFAULT_CONFIG.miniBatchSize})
  --eta X          learning rate η (default ${DEFAULT_CONFIG.eta})
  --seed N         seed of the random weights and shuffles; the same seed gives the same run (default ${DEFAULT_CONFIG.seed})
  --seeds LIST     train each network once per seed: a range 1-10 or a list 1,4,7 (at most ${MAX_SEEDS})
  --examples N     train on the first N of the 50,000 training examples (default ${DEFAULT_CONFIG.trainingExamples})
  --cost C         quadratic (chapter 1, default) or cross-entropy (chapter 3)
  --lambda X       L2 regularisation λ, weight decay 1 − ηλ/n per step (default 0)
  --init I         weight initialisation: large, N(0, 1) (default), or scaled, N(0, 1/√n_in)
  --early-stopping N  stop after N epochs without a better validation accuracy (default 0: never)
  --monitor-training  also print cost and accuracy on the training data each epoch
  --expand         chapter 3's expanded data: each example also moved one pixel down, up, right and
                   left (expand_mnist.py, made on the fly): five times the examples an epoch
  --distort        train each epoch on a fresh distorted copy of the data: every digit slightly rotated,
                   scaled, sheared, shifted, warped and its strokes thickened or thinned (seeded)
  --distortion X   the distortions' strength: 1 (default) is ±10° and ±10% of size, at most 2
  --save FILE      after training, write the network in network2.py's JSON format (its save())
  --load FILE      read a network in that format (saved here or by the book's Python code), print its
                   test accuracy as "Loaded model 784-30-10: 9512 / 10000" and exit
  --kernel K       auto (the default: the fastest here), wasm (the fastest WebAssembly build), relaxed (WebAssembly
                   relaxed SIMD, fused multiply-add), simd (WebAssembly 128-bit SIMD) or js (the readable TypeScript path)
  -h, --help       show this help

Each epoch prints "Epoch E: correct / 10000, took S seconds", where S is that epoch's training time.
With several networks or seeds the runs go one after another, each line begins with its run's name
("784-100-10 seed 3 · Epoch 0: …"), and a table at the end sums the runs up per network.`;

/** Our flag names for the config fields they set. */
const FLAGS: Record<string, ConfigField> = {
  hidden: 'hidden',
  epochs: 'epochs',
  batch: 'miniBatchSize',
  eta: 'eta',
  seed: 'seed',
  examples: 'trainingExamples',
  cost: 'cost',
  lambda: 'lambda',
  init: 'init',
  'early-stopping': 'earlyStopping',
  distortion: 'distortion',
};

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
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        hidden: { type: 'string', multiple: true },
        seeds: { type: 'string' },
        kernel: { type: 'string' },
        save: { type: 'string' },
        load: { type: 'string' },
        'monitor-training': { type: 'boolean' },
        expand: { type: 'boolean' },
        distort: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    usageError(errorMessage(error).split('\n')[0]);
  }
}

/** Every run the options ask for, one per network and seed, each checked; exits on the first bad value. */
function configsOf(values: Record<string, string | string[] | boolean | undefined>): TrainConfig[] {
  const input = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, field]) =>
      flag === 'hidden' || values[flag] === undefined ? [] : [[field, values[flag] as string]],
    ),
  );
  const networks = (values.hidden as string[] | undefined) ?? [DEFAULT_CONFIG.hidden.join(',')];
  const seeds = typeof values.seeds === 'string' ? parseSeeds(values.seeds) : [undefined];
  return networks.flatMap((hidden) =>
    seeds.map((seed) => {
      const parsed = parseTrainConfig({
        ...input,
        hidden,
        ...(seed === undefined ? {} : { seed: String(seed) }),
        monitorTraining: values['monitor-training'] === true,
        expand: values.expand === true,
        distort: values.distort === true,
      });
      if (!parsed.ok) {
        const { field, message } = parsed.errors[0];
        usageError(`--${Object.keys(FLAGS).find((f) => FLAGS[f] === field)}: ${message}`);
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

function main(): void {
  const values = parseOptions();
  if (values.help) {
    console.log(HELP);
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
}

main();
