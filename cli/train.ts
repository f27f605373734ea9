/**
 * The book's run from the command line: `npm run train -- --hidden 30 --epochs 30 --batch 10 --eta 3`
 * prints network.py's line after each epoch. Same engine and data as the page.
 */
import { parseArgs } from 'node:util';
import { Network } from '../src/nn/network';
import { sliceDataset } from '../src/nn/dataset';
import { formatEpochLine } from '../src/nn/format';
import { DEFAULT_CONFIG, networkSizes, parseTrainConfig, type ConfigField } from '../src/nn/config';
import { loadMnist } from '../src/data/source-node';

const HELP = `Train the network of Nielsen's network.py on MNIST and print the book's line per epoch.

Usage: npm run train -- [options]

  --hidden LIST    hidden layer sizes, comma-separated, e.g. 30 or 100,30 (default ${DEFAULT_CONFIG.hidden.join(',')})
  --epochs N       passes over the training data (default ${DEFAULT_CONFIG.epochs})
  --batch N        mini-batch size (default ${DEFAULT_CONFIG.miniBatchSize})
  --eta X          learning rate η (default ${DEFAULT_CONFIG.eta})
  --seed N         seed of the random weights and shuffles; the same seed gives the same run (default ${DEFAULT_CONFIG.seed})
  --examples N     train on the first N of the 50,000 training examples (default ${DEFAULT_CONFIG.trainingExamples})
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
};

function usageError(message: string): never {
  process.stderr.write(`train: ${message} (see --help)\n`);
  process.exit(2);
}

function main(): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        kernel: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const input = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, field]) => (values[flag] === undefined ? [] : [[field, values[flag] as string]])),
  );
  const parsed = parseTrainConfig(input);
  if (!parsed.ok) {
    const { field, message } = parsed.errors[0];
    const flag = Object.keys(FLAGS).find((f) => FLAGS[f] === field);
    usageError(`--${flag}: ${message}`);
  }
  const config = parsed.value;
  const kernel = values.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') usageError(`--kernel: expected wasm or js, got ${String(kernel)}`);
  const data = loadMnist();
  const training = sliceDataset(data.training, 0, config.trainingExamples);
  const net = new Network(networkSizes(config), { seed: config.seed });
  net.SGD(training, config.epochs, config.miniBatchSize, config.eta, {
    test: data.test,
    kernel,
    onEvent: (event) => {
      if (event.kind === 'epoch') console.log(formatEpochLine(event.epoch, event.correct, event.total, event.seconds));
      if (event.kind === 'diverged') {
        console.error(`Epoch ${event.epoch}: the weights became NaN or infinite; try a smaller η than ${config.eta}`);
        process.exitCode = 1;
      }
    },
  });
}

main();
