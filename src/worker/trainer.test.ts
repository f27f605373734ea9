import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { DEFAULT_CONFIG } from '../nn/config';
import { createTrainer, type MnistSource } from './trainer';
import type { LoadProgress, RunEvent, TrainerApi } from './protocol';

let trainer: TrainerApi;
/** MNIST from public/, counting the loads. */
let sourceLoads = 0;
const nodeSource: MnistSource = async (_url, onProgress) => {
  sourceLoads++;
  onProgress({ phase: 'download', fraction: 1 });
  const data = loadMnist();
  onProgress({ phase: 'decompress', fraction: 1 });
  return data;
};
const epochEvents = (events: RunEvent[]) => events.flatMap((e) => (e.kind === 'epoch' ? [e] : []));
beforeAll(async () => {
  trainer = createTrainer({ source: nodeSource });
  const phases: string[] = [];
  const info = await trainer.load((p) => phases.push(p.phase), { url: 'public/' });
  expect(info).toEqual({ training: 50_000, validation: 10_000, test: 10_000 });
  expect(phases).toContain('download');
  expect(phases.at(-1)).toBe('decompress');
});

describe('one copy of MNIST per page', () => {
  it('a worker loaded from the keeper has the same digits, and the keeper loaded once', async () => {
    const loadsBefore = sourceLoads;
    const other = createTrainer({ source: () => Promise.reject(new Error('a worker that is given the data must not load it')) });
    const { port1, port2 } = new MessageChannel();
    trainer.shareData(port1);
    const info = await other.load(() => {}, { port: port2 });
    expect(info).toEqual({ training: 50_000, validation: 10_000, test: 10_000 });
    expect(sourceLoads).toBe(loadsBefore);
    for (const [set, index] of [
      ['training', 0],
      ['validation', 9999],
      ['test', 1234],
    ] as const) {
      expect(await other.sample(set, index)).toEqual(await trainer.sample(set, index));
    }
  });

  it('a keeper still loading passes on its progress, and its failure, word for word', async () => {
    let fail: (error: Error) => void = () => {};
    let report: (p: LoadProgress) => void = () => {};
    const keeper = createTrainer({
      source: (_url, onProgress) =>
        new Promise((_, reject) => {
          report = onProgress;
          fail = reject;
        }),
    });
    const keeperLoad = keeper.load(() => {}, { url: 'http://example.test/' });
    const { port1, port2 } = new MessageChannel();
    keeper.shareData(port1);
    const seen: number[] = [];
    const other = createTrainer({ source: () => Promise.reject(new Error('unused')) });
    const otherLoad = other.load((p) => seen.push(p.fraction), { port: port2 });
    report({ phase: 'download', fraction: 0.5 });
    await expect.poll(() => seen).toEqual([0.5]);
    fail(new Error('Could not download train-images-idx3-ubyte.gz: the server answered 404 Not Found.'));
    await expect(keeperLoad).rejects.toThrow('server answered 404');
    await expect(otherLoad).rejects.toThrow('Could not download train-images-idx3-ubyte.gz: the server answered 404 Not Found.');
  });
});

describe('the trainer behind a worker', () => {
  it('trains with chapter 3 settings, batching events, each epoch carrying the network', async () => {
    const calls: RunEvent[][] = [];
    const summary = await trainer.train(
      {
        ...DEFAULT_CONFIG,
        epochs: 2,
        trainingExamples: 5000,
        cost: 'cross-entropy',
        init: 'scaled',
        lambda: 1,
        eta: 0.5,
        monitorTraining: true,
      },
      (events) => calls.push(events),
    );
    expect(summary).toEqual({ outcome: 'finished', epochsDone: 2 });
    const epochs = calls.flat().filter((e) => e.kind === 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[1]).toMatchObject({ kind: 'epoch', epoch: 1, total: 10_000, trainingTotal: 5000 });
    if (epochs[1].kind !== 'epoch') throw new Error('unreachable');
    expect(epochs[1].correct).toBeGreaterThan(8000);
    expect(epochs[1].testCost).toBeGreaterThan(0);
    expect(epochs[1].trainingCost).toBeGreaterThan(0);
    expect(epochs[1].parameters).toMatchObject({ sizes: [784, 30, 10], cost: 'cross-entropy' });
  });

  it('stops early when validation accuracy stops improving', async () => {
    const events: RunEvent[] = [];
    const summary = await trainer.train({ ...DEFAULT_CONFIG, epochs: 40, trainingExamples: 1000, eta: 0.05, earlyStopping: 1 }, (e) =>
      events.push(...e),
    );
    expect(summary.outcome).toBe('stopped early');
    expect(summary.epochsDone).toBeLessThan(40);
    expect(events.at(-1)).toMatchObject({ kind: 'early-stop' });
  });

  it('refuses settings that do not validate', async () => {
    await expect(trainer.train({ ...DEFAULT_CONFIG, eta: -1 }, () => {})).rejects.toThrow('η must be greater than 0');
  });

  it('exports a model that imports back with the same test count, and reads its confusion matrix', async () => {
    const events: RunEvent[] = [];
    await trainer.train({ ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 5000 }, (e) => events.push(...e));
    const epoch = events.find((e) => e.kind === 'epoch');
    if (epoch?.kind !== 'epoch') throw new Error('no epoch');
    const text = await trainer.exportModel(epoch.parameters);
    expect(Object.keys(JSON.parse(text))).toEqual(['sizes', 'weights', 'biases', 'cost']);
    const imported = await trainer.importModel(text);
    expect(imported.correct).toBe(epoch.correct);
    trainer.setModel(imported.model);
    const counts = await trainer.confusion();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    let diagonal = 0;
    for (let d = 0; d < 10; d++) diagonal += counts[d * 11];
    expect(diagonal).toBe(epoch.correct);
    const sevensAsNines = await trainer.digitsWhere(7, 9);
    expect(sevensAsNines.length).toBe(counts[7 * 10 + 9]);
    const wrong = await trainer.misclassified('test');
    expect(wrong.length).toBe(10_000 - epoch.correct!);
  });

  it('refuses a model file with the reason, and the network it reads with stays the same', async () => {
    const events: RunEvent[] = [];
    await trainer.train({ ...DEFAULT_CONFIG, epochs: 1, trainingExamples: 2000, seed: 7 }, (e) => events.push(...e));
    const epoch = events.find((e) => e.kind === 'epoch');
    if (epoch?.kind !== 'epoch') throw new Error('no epoch');
    trainer.setModel(epoch.parameters);
    const before = (await trainer.sample('test', 0)).prediction!.activations;
    await expect(trainer.importModel('{"sizes": [784, 10]}')).rejects.toThrow('Not a model file: "weights" is missing.');
    // A valid model that is imported is not used for reading until the page selects it.
    await trainer.importModel(
      await trainer.exportModel({ ...epoch.parameters, biases: epoch.parameters.biases.map((b) => b.map((v) => v + 1)) }),
    );
    expect((await trainer.sample('test', 0)).prediction!.activations).toEqual(before);
  });

  it('continues a run from a kept epoch to the same numbers as a run that was never interrupted', async () => {
    const config = { ...DEFAULT_CONFIG, epochs: 4, trainingExamples: 3000, seed: 11 };
    const straight: RunEvent[] = [];
    await trainer.train(config, (e) => straight.push(...e));
    const epochs = epochEvents(straight);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);

    const continued: RunEvent[] = [];
    const summary = await trainer.train(config, (e) => continued.push(...e), {
      parameters: epochs[1].parameters,
      epochsDone: 2,
      bestValidation: null,
    });
    expect(summary).toEqual({ outcome: 'finished', epochsDone: 4 });
    const after = epochEvents(continued);
    expect(after.map((e) => [e.epoch, e.correct])).toEqual(epochs.slice(2).map((e) => [e.epoch, e.correct]));
    expect(after[1].parameters.weights[1]).toEqual(epochs[3].parameters.weights[1]);
  });

  it('waits for the page to keep each epoch before training the next', async () => {
    const log: string[] = [];
    await trainer.train({ ...DEFAULT_CONFIG, epochs: 2, trainingExamples: 1000 }, async (events) => {
      for (const e of events) if (e.kind === 'epoch') log.push(`epoch ${e.epoch}`);
      if (events.some((e) => e.kind === 'epoch')) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        log.push('kept');
      }
    });
    expect(log).toEqual(['epoch 0', 'kept', 'epoch 1', 'kept']);
  });
});
