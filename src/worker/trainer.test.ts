import { beforeAll, describe, expect, it } from 'vitest';
import { readMnistFiles } from '../data/source-node';
import { DEFAULT_CONFIG } from '../nn/config';
import { createTrainer } from './trainer';
import type { RunEvent, TrainerApi } from './protocol';

let trainer: TrainerApi;
beforeAll(async () => {
  trainer = createTrainer({ source: async (onDownload) => (onDownload(1), readMnistFiles()) });
  const phases: string[] = [];
  const info = await trainer.load((p) => phases.push(p.phase));
  expect(info).toEqual({ training: 50_000, validation: 10_000, test: 10_000 });
  expect(phases).toContain('download');
  expect(phases.at(-1)).toBe('decompress');
});

describe('the trainer behind a worker', () => {
  it('trains with chapter 3 settings, batching events, each epoch carrying the network', async () => {
    const calls: RunEvent[][] = [];
    const summary = await trainer.train(
      { ...DEFAULT_CONFIG, epochs: 2, trainingExamples: 5000, cost: 'cross-entropy', init: 'scaled', lambda: 1, eta: 0.5, monitorTraining: true },
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
    const summary = await trainer.train({ ...DEFAULT_CONFIG, epochs: 40, trainingExamples: 1000, eta: 0.05, earlyStopping: 1 }, (e) => events.push(...e));
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

  it('refuses a model file with the reason and keeps the current model', async () => {
    await expect(trainer.importModel('{"sizes": [784, 10]}')).rejects.toThrow('Not a model file: "weights" is missing.');
    expect((await trainer.sample('test', 0)).prediction).not.toBeNull();
  });
});
