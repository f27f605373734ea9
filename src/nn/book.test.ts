import { describe, expect, it } from 'vitest';
import { parseTrainConfig, settingTexts } from './settings';
import { BOOK_EXPERIMENTS } from './book';
import { loadMnist } from '../data/source-node';
import { networkSizes } from './config';
import { sliceDataset } from './dataset';
import { Network } from './network';
import { runSgd, sgdOptionsFor } from './sgd';

describe("the book's experiments", () => {
  it('each has settings the form accepts as they are, a chapter link, and the book’s figure', () => {
    expect(BOOK_EXPERIMENTS.length).toBeGreaterThanOrEqual(12);
    for (const experiment of BOOK_EXPERIMENTS) {
      for (const config of experiment.configs) {
        const parsed = parseTrainConfig(settingTexts(config));
        expect(parsed.ok, `${experiment.id}: ${JSON.stringify(parsed)}`).toBe(true);
        if (parsed.ok) expect(parsed.value).toEqual(config);
      }
      expect(experiment.url).toMatch(new RegExp(`^http://neuralnetworksanddeeplearning\\.com/chap${experiment.chapter}\\.html#`));
      expect(experiment.book.length).toBeGreaterThan(0);
    }
    expect(new Set(BOOK_EXPERIMENTS.map((e) => e.id)).size).toBe(BOOK_EXPERIMENTS.length);
  });

  it('each trains as the book sets it, shortened here (one epoch, or 30 of the 1,000-image runs’ 400; the CLI runs them in full): the learning ones learn, η = 100 and η = 0.001 do not, deeper nets start slower', () => {
    const mnist = loadMnist();
    const test = sliceDataset(mnist.test, 0, 2000);
    const lines: string[] = [];
    const results: { id: string; network: string; percent: number }[] = [];
    for (const experiment of BOOK_EXPERIMENTS) {
      for (const config of experiment.configs) {
        // The 1,000-image runs for 30 of their 400 epochs; the others for their first epoch.
        const subset = { ...config, epochs: config.trainingExamples <= 1000 ? 30 : 1 };
        const net = new Network(networkSizes(subset), { seed: subset.seed, init: subset.init, cost: subset.cost });
        let correct = 0;
        runSgd(net, sliceDataset(mnist.training, 0, subset.trainingExamples), subset.epochs, subset.miniBatchSize, subset.eta, {
          ...sgdOptionsFor(subset, { test }),
          onEvent: (event) => {
            if (event.kind === 'epoch') correct = event.correct!;
          },
        });
        const percent = (100 * correct) / test.count;
        lines.push(`${experiment.id} ${net.sizes.join('-')}: ${percent.toFixed(1)}%`);
        results.push({ id: experiment.id, network: net.sizes.join('-'), percent });
      }
    }
    console.log(`the book's experiments on a subset: ${lines.join('; ')}`);
    for (const { id, network, percent } of results) {
      if (id === 'ch1-fast' || id === 'ch1-slow') expect(percent, id).toBeLessThan(40);
      else if (id !== 'ch5-deep') expect(percent, `${id} ${network}`).toBeGreaterThan(50);
    }
    // Chapter 5's deep networks: each hidden layer more starts slower (the vanishing gradient); the CLI's
    // 30 epochs bring all four to about 96%.
    const deep = results.filter((r) => r.id === 'ch5-deep').map((r) => r.percent);
    expect(deep[0]).toBeGreaterThan(50);
    deep.slice(1).forEach((percent, i) => expect(percent).toBeLessThanOrEqual(deep[i]));
  });
});
