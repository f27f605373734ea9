/**
 * `npm run train -- --chapter6 ID`: one of the book's chapter 6 networks (network3.py), trained on MNIST
 * with network3.py's own lines: "Epoch 0: validation accuracy 97.82%", "This is the best validation
 * accuracy to date.", "The corresponding test accuracy is 97.80%", and its summary at the end.
 */
import { sliceDataset } from '../src/nn/dataset';
import type { MnistData } from '../src/data/mnist';
import { Network3 } from '../src/nn/network3/network3';
import { describeLayers, NETWORK3_LADDER, type Network3Preset } from '../src/nn/network3/ladder';
import { network3Sgd, type Network3Kernel } from '../src/nn/network3/sgd3';

export const CHAPTER6_IDS = NETWORK3_LADDER.map((preset) => preset.id);

export interface Chapter6Options {
  epochs?: number;
  examples?: number;
  seed: number;
  kernel: Network3Kernel;
}

const percent = (correct: number, total: number): string => `${((100 * correct) / total).toFixed(2)}%`;

/** Train preset `preset` (its epochs, or `epochs`) and print network3.py's lines; returns the trained network. */
export function trainChapter6(preset: Network3Preset, data: MnistData, options: Chapter6Options): Network3 {
  const epochs = options.epochs ?? preset.epochs;
  const training = sliceDataset(data.training, 0, options.examples ?? data.training.count);
  console.log(`${preset.title}: ${describeLayers(preset.layers)}`);
  console.log(
    `mini-batch ${preset.miniBatchSize}, η = ${preset.eta}, λ = ${preset.lambda}, ${epochs} epochs, ${training.count.toLocaleString('en-US')} training digits${preset.expand ? ' expanded 5×' : ''}, seed ${options.seed}`,
  );
  const net = new Network3(preset.layers, { seed: options.seed });
  let best = { validation: -1, test: 0, epoch: -1 };
  let seconds = 0;
  const run = network3Sgd(net, training, epochs, preset.miniBatchSize, preset.eta, data.validation, data.test, {
    lambda: preset.lambda,
    expand: preset.expand,
    kernel: options.kernel,
  });
  for (const event of run) {
    if (event.kind !== 'epoch') continue;
    seconds += event.seconds;
    console.log(`Epoch ${event.epoch}: validation accuracy ${percent(event.validationCorrect, event.validationTotal)}`);
    if (event.best) {
      console.log('This is the best validation accuracy to date.');
      console.log(`The corresponding test accuracy is ${percent(event.testCorrect, event.testTotal)}`);
      best = { validation: event.validationCorrect, test: event.testCorrect, epoch: event.epoch };
    }
    console.log(`  (test ${percent(event.testCorrect, event.testTotal)}; the epoch took ${event.seconds.toFixed(2)} seconds)`);
  }
  console.log('Finished training network.');
  console.log(`Best validation accuracy of ${percent(best.validation, data.validation.count)} obtained at epoch ${best.epoch}`);
  console.log(`Corresponding test accuracy of ${percent(best.test, data.test.count)}`);
  console.log(`The book: ${preset.bookPercent.toFixed(2)}%. ${(seconds / epochs).toFixed(1)} seconds an epoch here.`);
  return net;
}
