/**
 * The book's run from the command line: `npm run train -- --hidden 30 --epochs 30 --batch 10 --eta 3`
 * prints network.py's line after each epoch. Same engine and data as the page.
 */
import { parseArgs } from 'node:util';
import { Network } from '../src/nn/network';
import { trainerFor } from '../src/nn/kernels';
import { runSgd } from '../src/nn/sgd';
import { sliceDataset } from '../src/nn/dataset';
import { errorMessage, formatDiverged, formatEarlyStop, formatEpochLine, formatLoadedLine, formatSizes } from '../src/nn/format';
import { DEFAULT_CONFIG, networkSizes, parseTrainConfig, type ConfigField } from '../src/nn/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../src/data/source-node';
import { parseNetwork2Json, toNetwork2Json } from '../src/nn/model-io';

const HELP = `Train the network of Nielsen's network.py on MNIST and print the book's line per epoch.

Usage: npm run train -- [options]

  --hidden LIST    hidden layer sizes, comma-separated, e.g. 30 or 100,30 (default ${DEFAULT_CONFIG.hidden.join(',')})
  --epochs N       passes over the training data (default ${DEFAULT_CONFIG.epochs})
  --batch N        mini-batch size (default ${DEFAULT_CONFIG.miniBatchSize})
  --eta X          learning rate η (default ${DEFAULT_CONFIG.eta})
  --seed N         seed of the random weights and shuffles; the same seed gives the same run (default ${DEFAULT_CONFIG.seed})
  --examples N     train on the first N of the 50,000 training examples (default ${DEFAULT_CONFIG.trainingExamples})
  --cost C         quadratic (chapter 1, default) or cross-entropy (chapter 3)
  --lambda X       L2 regularisation λ, weight decay 1 − ηλ/n per step (default 0)
  --init I         weight initialisation: large, N(0, 1) (default), or scaled, N(0, 1/√n_in)
  --early-stopping N  stop after N epochs without a better validation accuracy (default 0: never)
  --monitor-training  also print cost and accuracy on the training data each epoch
  --save FILE      after training, write the network in network2.py's JSON format (its save())
  --load FILE      read a network in that format (saved here or by the book's Python code), print its
                   test accuracy as "Loaded model 784-30-10: 9512 / 10000" and exit
  --kernel K       wasm (WebAssembly SIMD, the default where available) or js (the readable TypeScript path)
  -h, --help       show this help

Each epoch prints "Epoch E: correct / 10000, took S seconds", where S is that epoch's training time.`;

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

function main(): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        kernel: { type: 'string' },
        save: { type: 'string' },
        load: { type: 'string' },
        'monitor-training': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError(errorMessage(error).split('\n')[0]);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const input = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, field]) => (values[flag] === undefined ? [] : [[field, values[flag] as string]])),
  );
  const parsed = parseTrainConfig({ ...input, monitorTraining: values['monitor-training'] === true });
  if (!parsed.ok) {
    const { field, message } = parsed.errors[0];
    const flag = Object.keys(FLAGS).find((f) => FLAGS[f] === field);
    usageError(`--${flag}: ${message}`);
  }
  const config = parsed.value;
  if (typeof values.load === 'string') {
    loadAndEvaluate(values.load);
    return;
  }
  const kernel = values.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') usageError(`--kernel: expected wasm or js, got ${String(kernel)}`);
  const data = loadMnist();
  const training = sliceDataset(data.training, 0, config.trainingExamples);
  const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
  runSgd(net, training, config.epochs, config.miniBatchSize, config.eta, {
    test: data.test,
    kernel,
    lambda: config.lambda,
    monitorTraining: config.monitorTraining,
    earlyStopping: config.earlyStopping > 0 ? { validation: data.validation, patience: config.earlyStopping } : undefined,
    onEvent: (event) => {
      if (event.kind === 'epoch') {
        console.log(formatEpochLine(event.epoch, event.correct, event.total, event.seconds));
        if (event.trainingCorrect !== null) {
          console.log(
            `  training: ${event.trainingCorrect} / ${event.trainingTotal}, cost ${event.trainingCost!.toFixed(4)}; test cost ${event.testCost!.toFixed(4)}`,
          );
        }
      }
      if (event.kind === 'early-stop') console.log(formatEarlyStop(event));
      if (event.kind === 'diverged') {
        console.error(formatDiverged(event.epoch, config.eta, config.lambda));
        process.exitCode = 1;
      }
    },
  });
  if (typeof values.save === 'string') {
    writeFileSync(
      values.save,
      JSON.stringify(toNetwork2Json({ sizes: [...net.sizes], weights: net.weights, biases: net.biases, cost: net.cost })),
    );
    console.log(`Saved ${formatSizes(net.sizes)} to ${values.save}`);
  }
}

main();
