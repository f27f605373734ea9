import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { DEFAULT_CONFIG } from '../nn/config';
import { sliceDataset } from '../nn/dataset';
import { Network } from '../nn/network';
import { sgdEvents, sgdOptionsFor } from '../nn/sgd';
import { layerSpeeds } from '../nn/speeds';
import type { MnistSource } from './mnist-holder';
import { createTraining } from './training';
import { createInspecting } from './inspecting';
import type { AnyModel, InspectingApi, LoadProgress, RunEvent, TrainingApi } from './protocol';
import { multilayerOf } from '../nn/any-model';

/** The keeper (an inspecting worker that loads the files) and a training worker fed by it, as on the page. */
let keeper: InspectingApi;
let trainer: TrainingApi;
/** MNIST from public/, counting the loads. */
let sourceLoads = 0;
const nodeSource: MnistSource = async (_url, onProgress) => {
  sourceLoads++;
  onProgress({ phase: 'download', fraction: 1 });
  const data = loadMnist();
  onProgress({ phase: 'decompress', fraction: 1 });
  return data;
};
/** A multilayer run's network (these tests train the book's Network unless they say otherwise). */
const mlp = (model: AnyModel) => multilayerOf(model)!;
const epochEvents = (events: RunEvent[]) => events.flatMap((e) => (e.kind === 'epoch' ? [e] : []));
let testLabels: Uint8Array;
const notFromFiles: MnistSource = () => Promise.reject(new Error('a worker that is given the data must not load it'));
/** A new inspecting worker with the keeper's data. */
async function inspectorFedByKeeper(): Promise<InspectingApi> {
  const other = createInspecting(notFromFiles);
  const { port1, port2 } = new MessageChannel();
  keeper.shareData(port1);
  await other.load(() => {}, { port: port2 });
  return other;
}
beforeAll(async () => {
  keeper = createInspecting(nodeSource);
  const phases: string[] = [];
  const info = await keeper.load((p) => phases.push(p.phase), { url: 'public/' });
  expect(info).toEqual({ training: 50_000, validation: 10_000, test: 10_000 });
  expect(phases).toContain('download');
  expect(phases.at(-1)).toBe('decompress');
  testLabels = loadMnist().test.labels;
  trainer = createTraining(notFromFiles);
  const { port1, port2 } = new MessageChannel();
  keeper.shareData(port1);
  await trainer.load(() => {}, { port: port2 });
});

describe('one copy of MNIST per page', () => {
  it('a worker loaded from the keeper has the same digits, and the keeper loaded once', async () => {
    const loadsBefore = sourceLoads;
    const other = createInspecting(notFromFiles);
    const { port1, port2 } = new MessageChannel();
    keeper.shareData(port1);
    const info = await other.load(() => {}, { port: port2 });
    expect(info).toEqual({ training: 50_000, validation: 10_000, test: 10_000 });
    expect(sourceLoads).toBe(loadsBefore);
    for (const [set, index] of [
      ['training', 0],
      ['validation', 9999],
      ['test', 1234],
    ] as const) {
      expect(await other.sample(set, index)).toEqual(await keeper.sample(set, index));
    }
  });

  it('a worker that asks for the test set alone gets only it, answers about it, and says so when asked for another', async () => {
    const evaluator = createInspecting(notFromFiles);
    const { port1, port2 } = new MessageChannel();
    keeper.shareData(port1, ['test']);
    expect(await evaluator.load(() => {}, { port: port2 })).toEqual({ training: 0, validation: 0, test: 10_000 });
    expect(await evaluator.sample('test', 1234)).toEqual(await keeper.sample('test', 1234));
    await expect(evaluator.sample('training', 0)).rejects.toThrow('this worker holds no training set (it was given test)');
  });

  it('a keeper still loading passes on its progress, and its failure, word for word', async () => {
    let fail: (error: Error) => void = () => {};
    let report: (p: LoadProgress) => void = () => {};
    const loading = createInspecting(
      (_url, onProgress) =>
        new Promise((_, reject) => {
          report = onProgress;
          fail = reject;
        }),
    );
    const keeperLoad = loading.load(() => {}, { url: 'http://example.test/' });
    const { port1, port2 } = new MessageChannel();
    loading.shareData(port1);
    const seen: number[] = [];
    const other = createTraining(notFromFiles);
    const otherLoad = other.load((p) => seen.push(p.fraction), { port: port2 });
    report({ phase: 'download', fraction: 0.5 });
    await expect.poll(() => seen).toEqual([0.5]);
    fail(new Error('Could not download train-images-idx3-ubyte.gz: the server answered 404 Not Found.'));
    await expect(keeperLoad).rejects.toThrow('server answered 404');
    await expect(otherLoad).rejects.toThrow('Could not download train-images-idx3-ubyte.gz: the server answered 404 Not Found.');
  });
});

describe('a training worker', () => {
  it('trains with chapter 3 settings, batching events, each epoch carrying the network', async () => {
    const calls: RunEvent[][] = [];
    const summary = await trainer.train(
      {
        config: {
          ...DEFAULT_CONFIG,
          epochs: 2,
          trainingExamples: 5000,
          cost: 'cross-entropy',
          init: 'scaled',
          lambda: 1,
          eta: 0.5,
          monitorTraining: true,
        },
      },
      (events) => calls.push(events),
    );
    expect(summary).toEqual({ outcome: 'finished' });
    const epochs = calls.flat().filter((e) => e.kind === 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[1]).toMatchObject({ kind: 'epoch', epoch: 1, total: 10_000, trainingTotal: 5000 });
    if (epochs[1].kind !== 'epoch') throw new Error('unreachable');
    expect(epochs[1].correct).toBeGreaterThan(8000);
    expect(epochs[1].testCost).toBeGreaterThan(0);
    expect(epochs[1].trainingCost).toBeGreaterThan(0);
    expect(epochs[1].parameters).toMatchObject({ sizes: [784, 30, 10], cost: 'cross-entropy' });
    const readings = epochs[1].testReadings!;
    expect(readings).toHaveLength(10_000);
    expect(readings.filter((d, i) => d === testLabels[i]).length).toBe(epochs[1].correct);
  });

  it('stops early when validation accuracy stops improving', async () => {
    const events: RunEvent[] = [];
    const summary = await trainer.train(
      { config: { ...DEFAULT_CONFIG, epochs: 40, trainingExamples: 1000, eta: 0.05, earlyStopping: 1 } },
      (e) => events.push(...e),
    );
    expect(summary.outcome).toBe('stopped early');
    expect(epochEvents(events).length).toBeLessThan(40);
    expect(events.at(-1)).toMatchObject({ kind: 'early-stop' });
  });

  it('refuses settings that do not validate', async () => {
    await expect(trainer.train({ config: { ...DEFAULT_CONFIG, eta: -1 } }, () => {})).rejects.toThrow('η must be greater than 0');
  });

  it('continues a run from a kept epoch to the same numbers as a run that was never interrupted', async () => {
    const config = { ...DEFAULT_CONFIG, epochs: 4, trainingExamples: 3000, seed: 11 };
    const straight: RunEvent[] = [];
    await trainer.train({ config }, (e) => straight.push(...e));
    const epochs = epochEvents(straight);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);

    const continued: RunEvent[] = [];
    const summary = await trainer.train(
      { config, resume: { parameters: epochs[1].parameters, epochsDone: 2, bestValidation: null } },
      (e) => continued.push(...e),
    );
    expect(summary).toEqual({ outcome: 'finished' });
    const after = epochEvents(continued);
    expect(after.map((e) => [e.epoch, e.correct])).toEqual(epochs.slice(2).map((e) => [e.epoch, e.correct]));
    expect(mlp(after[1].parameters).weights[1]).toEqual(mlp(epochs[3].parameters).weights[1]);
  });

  it('fine-tunes a network on MNIST and personal digits, saying how both read before and after', async () => {
    const config = { ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 5000, seed: 5 };
    const first: RunEvent[] = [];
    await trainer.train({ config }, (e) => first.push(...e));
    const [trained] = epochEvents(first);
    // Three test digits the network misreads, as "personal" ones with their true labels.
    const mnist = loadMnist();
    const misread = [...trained.testReadings!.keys()].filter((i) => trained.testReadings![i] !== mnist.test.labels[i]).slice(0, 3);
    const pixels = new Uint8Array(3 * 784);
    misread.forEach((i, n) => {
      for (let k = mnist.test.offsets[i]; k < mnist.test.offsets[i + 1]; k++)
        pixels[n * 784 + mnist.test.indices[k]] = mnist.test.values[k];
    });
    const labels = Uint8Array.from(misread, (i) => mnist.test.labels[i]);
    const events: RunEvent[] = [];
    const summary = await trainer.train({ config, tuning: { parameters: trained.parameters, digits: { pixels, labels } } }, (e) =>
      events.push(...e),
    );
    expect(summary).toEqual({ outcome: 'finished' });
    const tuned = events.at(-1)!;
    const [epoch] = epochEvents(events);
    expect(tuned).toMatchObject({
      kind: 'tuned',
      digits: 3,
      personalBefore: 0,
      testBefore: trained.correct,
      testAfter: epoch.correct,
      total: 10_000,
    });
    // Each is shown 100 times an epoch among 5,000: the network learns them.
    expect(tuned.kind === 'tuned' && tuned.personalAfter).toBe(3);
  });

  it('at a slow pace measures the test data within each epoch, from the untrained network on, and trains as at full speed', async () => {
    const config = { ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 2000 };
    const paced: RunEvent[] = [];
    // 100 mini-batches a second, in stretches of 5 (50 examples): two seconds.
    await trainer.train({ config, watch: { pace: 100, paused: false } }, (events) => paced.push(...events));
    const full: RunEvent[] = [];
    await trainer.train({ config, watch: { pace: null, paused: false } }, (events) => full.push(...events));
    const within = paced.flatMap((e) => (e.kind === 'within' ? [e] : []));
    // A mark every 40 examples (2,000 / 50): the start, then once in each stretch that passes a mark.
    expect(within[0]).toMatchObject({ epoch: 0, examplesDone: 0, total: 10_000 });
    expect(within.length).toBeGreaterThanOrEqual(30);
    const places = within.map((w) => w.examplesDone);
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(places.every((n, i) => i === 0 || Math.floor(n / 40) > Math.floor(places[i - 1] / 40))).toBe(true);
    expect(within.at(-1)!.correct).toBeGreaterThan(within[0].correct + 3000);
    expect(full.some((e) => e.kind === 'within')).toBe(false);
    expect(epochEvents(paced).map((e) => e.correct)).toEqual(epochEvents(full).map((e) => e.correct));
  });

  it('measures a deep network’s speeds per layer within its first epoch at marks that change nothing it trains', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      hidden: [30, 30, 30],
      epochs: 1,
      trainingExamples: 2000,
      cost: 'cross-entropy' as const,
      init: 'scaled' as const,
      eta: 0.1,
    };
    const events: RunEvent[] = [];
    await trainer.train({ config }, (batch) => events.push(...batch));
    const speeds = events.flatMap((e) => (e.kind === 'speeds' ? [e] : []));
    // The start, after 1, 2, 5, 10, 20, 50 and 100 of the epoch's 200 mini-batches, then the epoch's end.
    expect(speeds.map((s) => s.examplesDone ?? null)).toEqual([null, 10, 20, 50, 100, 200, 500, 1000, null]);
    expect(speeds.map((s) => s.epoch)).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Each is the network there: the engine's own SGD, stopped at the same marks, gives the same lengths.
    const net = new Network([784, 30, 30, 30, 10], { seed: 1, init: 'scaled', cost: 'cross-entropy' });
    const training = sliceDataset(loadMnist().training, 0, 2000);
    const run = sgdEvents(net, training, 1, 10, 0.1, { ...sgdOptionsFor(config), firstStretch: { batches: 1, sync: true } });
    const expected: number[][] = [];
    let done = 0;
    for (let next = run.next(); !next.done;) {
      const event = next.value;
      if (event.kind === 'progress' && [10, 20, 50, 100, 200, 500, 1000].includes(event.examplesDone))
        expected.push(layerSpeeds(net.parameters(), training));
      if (event.kind === 'progress') done = event.examplesDone;
      const mark = [1, 2, 5, 10, 20, 50, 100].find((m) => m * 10 > done);
      next = run.next(mark ? { batches: mark - done / 10, sync: true } : undefined);
    }
    speeds.slice(1, -1).forEach((s, i) => s.lengths.forEach((v, l) => expect(v).toBeCloseTo(expected[i][l], 12)));
    // And the epoch trains as the engine does without stopping.
    const plain = new Network([784, 30, 30, 30, 10], { seed: 1, init: 'scaled', cost: 'cross-entropy' });
    const plainEpoch = [...sgdEvents(plain, training, 1, 10, 0.1, { ...sgdOptionsFor(config, { test: loadMnist().test }) })].find(
      (e) => e.kind === 'epoch',
    );
    expect(epochEvents(events)[0].correct).toBe(plainEpoch && 'correct' in plainEpoch ? plainEpoch.correct : -1);
  });

  it('starts from the first-layer weights an inspecting worker says a run of its settings starts from', async () => {
    const config = { ...DEFAULT_CONFIG, hidden: [20], seed: 9, init: 'scaled' as const, trainingExamples: 1000 };
    // Paused from the start: it shows its network before any mini-batch, then is stopped.
    let start: Float32Array | null = null;
    const ended = trainer.train({ config, watch: { pace: null, paused: true } }, (events) => {
      for (const e of events) if (e.kind === 'position' && e.paused) start ??= mlp(e.parameters).weights[0];
      if (start) trainer.stop();
    });
    await ended;
    // The worker keeps its watch for the next run: at full speed again.
    trainer.watch({ pace: null, paused: false });
    expect(start).not.toBeNull();
    expect([...(await keeper.startingWeights([784, 20, 10], 9, 'scaled'))]).toEqual([...start!]);
    expect([...(await keeper.startingWeights([784, 20, 10], 9, 'large'))]).not.toEqual([...start!]);
  });

  it('waits for the page to keep each epoch before training the next', async () => {
    const log: string[] = [];
    await trainer.train({ config: { ...DEFAULT_CONFIG, epochs: 2, trainingExamples: 1000 } }, async (events) => {
      for (const e of events) if (e.kind === 'epoch') log.push(`epoch ${e.epoch}`);
      if (events.some((e) => e.kind === 'epoch')) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        log.push('kept');
      }
    });
    expect(log).toEqual(['epoch 0', 'kept', 'epoch 1', 'kept']);
  });
});

describe('an inspecting worker', () => {
  /** The epoch events of a short run of the training worker. */
  async function trained(config: Partial<typeof DEFAULT_CONFIG>) {
    const events: RunEvent[] = [];
    await trainer.train({ config: { ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 2000, ...config } }, (e) => events.push(...e));
    return epochEvents(events);
  }

  it('exports a model that imports back with the same test count and readings, and reads its confusion matrix', async () => {
    const [epoch] = await trained({ trainingExamples: 5000 });
    const text = await keeper.exportModel(epoch.parameters);
    expect(Object.keys(JSON.parse(text))).toEqual(['sizes', 'weights', 'biases', 'cost']);
    const imported = await keeper.importModel(text);
    expect(imported.correct).toBe(epoch.correct);
    expect(imported.testReadings).toEqual(epoch.testReadings);
    const evaluator = await inspectorFedByKeeper();
    evaluator.setModel(imported.model);
    const counts = await evaluator.confusion();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    let diagonal = 0;
    for (let d = 0; d < 10; d++) diagonal += counts[d * 11];
    expect(diagonal).toBe(epoch.correct);
    const sevensAsNines = await evaluator.digitsWhere(7, 9);
    expect(sevensAsNines.length).toBe(counts[7 * 10 + 9]);
    const wrong = await evaluator.misclassified('test');
    expect(wrong.length).toBe(10_000 - epoch.correct!);
  });

  it('answers from the readings the run sent as it would by reading the digits itself', async () => {
    const [epoch] = await trained({ seed: 3 });
    const told = await inspectorFedByKeeper();
    const reading = await inspectorFedByKeeper();
    told.setModel(epoch.parameters, epoch.testReadings);
    reading.setModel(epoch.parameters);
    expect(await told.confusion()).toEqual(await reading.confusion());
    expect(await told.digitsWhere(4, 9)).toEqual(await reading.digitsWhere(4, 9));
    expect(() => told.setModel(epoch.parameters, new Uint8Array(10))).toThrow('10 test readings for 10000 test digits');
  });

  it('takes each new network of the same shape in place, reading as a fresh worker would', async () => {
    const epochs = await trained({ epochs: 2, seed: 5, hidden: [20] });
    const other = await trained({ seed: 6, hidden: [40] });
    const lens = await inspectorFedByKeeper();
    for (const parameters of [epochs[0].parameters, epochs[1].parameters, other[0].parameters, epochs[0].parameters]) {
      lens.setModel(parameters);
      const fresh = await inspectorFedByKeeper();
      fresh.setModel(parameters);
      expect(await lens.misclassified('validation')).toEqual(await fresh.misclassified('validation'));
      expect(await lens.confusion()).toEqual(await fresh.confusion());
      expect((await lens.sample('test', 7)).prediction).toEqual((await fresh.sample('test', 7)).prediction);
    }
  });

  it('refuses a model file with the reason, and the network it reads with stays the same', async () => {
    const [epoch] = await trained({ seed: 7 });
    keeper.setModel(epoch.parameters);
    const before = (await keeper.sample('test', 0)).prediction!.activations;
    await expect(keeper.importModel('{"sizes": [784, 10]}')).rejects.toThrow('Not a model file: "weights" is missing.');
    // A valid model that is imported is not used for reading until the page selects it.
    await keeper.importModel(
      await keeper.exportModel({ ...mlp(epoch.parameters), biases: mlp(epoch.parameters).biases.map((b) => b.map((v) => v + 1)) }),
    );
    expect((await keeper.sample('test', 0)).prediction!.activations).toEqual(before);
  });
});

describe('chapter 6 in the workers', () => {
  const convolutional = { ...DEFAULT_CONFIG, kind: 'convolutional' as const, chapter6: 'relu', eta: 0.03, lambda: 0.1, epochs: 2 };

  it('trains a convolutional run with progress, learning within each epoch, and epochs carrying its layers; a continued run goes on where it stopped, as one never stopped', async () => {
    const config = { ...convolutional, trainingExamples: 2000 };
    const events: RunEvent[] = [];
    const summary = await trainer.train({ config }, (batch) => void events.push(...batch));
    expect(summary.outcome).toBe('finished');
    const epochs = epochEvents(events);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1]);
    const [first, second] = epochs;
    // 2,000 ReLU-convnet examples twice: far past chance, and the second epoch no worse than a few digits under the first.
    expect(first.correct! / first.total).toBeGreaterThan(0.6);
    expect(second.correct!).toBeGreaterThan(first.correct! - 100);
    expect(second.testReadings!.filter((d, i) => d === testLabels[i]).length).toBe(second.correct);
    expect('layers' in second.parameters && second.parameters.layers.map((l) => l.kind)).toEqual([
      'conv-pool',
      'conv-pool',
      'fully-connected',
      'softmax',
    ]);
    // No mid-epoch measurement in 2,000 examples (every 5,000); progress comes in chunks of 200 examples.
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(2);

    // The same run stopped after epoch 0 and continued from its kept network reaches the same second epoch.
    const resumed: RunEvent[] = [];
    await trainer.train(
      { config, resume: { parameters: first.parameters, epochsDone: 1, bestValidation: null } },
      (batch) => void resumed.push(...batch),
    );
    expect(epochEvents(resumed).map((e) => [e.epoch, e.correct])).toEqual([[1, second.correct]]);
  }, 120_000);

  it('measures a convolutional run within its epochs on the first 1,000 test digits, and the inspecting worker reads with its network', async () => {
    const config = { ...convolutional, chapter6: 'shallow', eta: 0.1, lambda: 0, epochs: 1, trainingExamples: 10_000 };
    const events: RunEvent[] = [];
    await trainer.train({ config }, (batch) => void events.push(...batch));
    const within = events.flatMap((e) => (e.kind === 'within' ? [e] : []));
    expect(within.map((w) => [w.examplesDone, w.total])).toEqual([[5000, 1000]]);
    expect(within[0].correct).toBeGreaterThan(700);
    const [epoch] = epochEvents(events);
    const inspector = await inspectorFedByKeeper();
    inspector.setModel(epoch.parameters);
    const misread = await inspector.misclassified('test');
    expect(misread.length).toBe(epoch.total - epoch.correct!);
    const digit = await inspector.sample('test', 0);
    expect(digit.prediction?.digit).toBe(epoch.testReadings![0]);
    // Saved and loaded in chapter 6's format: the same network, the same count.
    const text = await inspector.exportModel(epoch.parameters);
    expect(JSON.parse(text).format).toBe('network3');
    const imported = await inspector.importModel(text);
    expect(imported.correct).toBe(epoch.correct);
  }, 120_000);

  it('fine-tunes a convolutional network on a person’s digits (shuffled among MNIST’s), and votes with several networks of either kind', async () => {
    const config = { ...convolutional, chapter6: 'shallow', eta: 0.1, lambda: 0, epochs: 1, trainingExamples: 5000 };
    const trained = async (seed: number, kind: 'mlp' | 'convolutional' = 'convolutional') => {
      const events: RunEvent[] = [];
      const runConfig = kind === 'mlp' ? { ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 5000, seed } : { ...config, seed };
      await trainer.train({ config: runConfig }, (batch) => void events.push(...batch));
      return epochEvents(events)[0];
    };
    const [a, b, c] = [await trained(1), await trained(2), await trained(3, 'mlp')];
    const inspector = await inspectorFedByKeeper();
    const progress: number[] = [];
    const result = await inspector.ensemble([a.parameters, b.parameters, c.parameters], (f) => progress.push(f));
    expect(result.total).toBe(10_000);
    // Each alone as its worker counted it (the convnets on the same kernel exactly; the MLP's reference pass may flip a near tie).
    expect(result.alone.slice(0, 2)).toEqual([a.correct, b.correct]);
    expect(Math.abs(result.alone[2] - c.correct!)).toBeLessThanOrEqual(2);
    // Three middling networks that disagree: their vote beats the weakest of them.
    expect(result.correct).toBeGreaterThan(Math.min(...result.alone));
    expect(progress.at(-1)).toBe(1);
    await expect(inspector.ensemble([a.parameters])).rejects.toThrow('two networks or more');

    // Fine-tuning: ten test digits the network misreads, as "my digits".
    const misread = [...(await (async () => (inspector.setModel(a.parameters), inspector.misclassified('test')))())].slice(0, 10);
    const pixels = new Uint8Array(misread.length * 784);
    const labels = new Uint8Array(misread.length);
    for (const [k, index] of misread.entries()) {
      const digit = await inspector.sample('test', index);
      pixels.set(digit.pixels, k * 784);
      labels[k] = digit.label;
    }
    const events: RunEvent[] = [];
    await trainer.train(
      { config: { ...config, epochs: 2 }, tuning: { parameters: a.parameters, digits: { pixels, labels } } },
      (batch) => void events.push(...batch),
    );
    const tuned = events.find((e) => e.kind === 'tuned');
    expect(tuned).toMatchObject({ digits: 10, personalBefore: 0, testBefore: a.correct });
    if (tuned?.kind !== 'tuned') throw new Error('no tuned event');
    expect(tuned.personalAfter).toBeGreaterThanOrEqual(7);
    // MNIST holds: within two points of where it was.
    expect(tuned.testAfter).toBeGreaterThan(a.correct! - 200);
  }, 180_000);
});
