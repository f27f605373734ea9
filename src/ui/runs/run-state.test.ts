import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../nn/config';
import type { RunEvent } from '../../worker/protocol';
import { canContinue, describeTuning, interruptedNotice, isActive, runOutcome, secondsLeft, stallWords, type Run } from './run';
import { INITIAL_RUNS, runsReducer, type RunsState } from './run-state';
import { epochEvent as epoch, parameters } from './test-helpers';

function started(): RunsState {
  return runsReducer(INITIAL_RUNS, {
    type: 'start',
    key: 'key-1',
    createdAt: 1,
    number: 1,
    config: DEFAULT_CONFIG,
    sizes: [784, 30, 10],
  });
}

describe('runsReducer', () => {
  it('a fine-tuning is a run of its own: its card says what it was tuned from, its last line begins Fine-tuned, and it cannot be continued', () => {
    const tuning = { from: 'Run 1', digits: 5 };
    let state = runsReducer(INITIAL_RUNS, {
      type: 'start',
      key: 'key-2',
      createdAt: 2,
      number: 2,
      config: { ...DEFAULT_CONFIG, epochs: 2 },
      sizes: [784, 30, 10],
      tuning,
    });
    expect(describeTuning(state.runs[0].tuning!)).toBe('tuned from Run 1 on 5 of your digits');
    state = runsReducer(state, { type: 'events', key: 'key-2', events: [epoch(0, 9520)] });
    state = runsReducer(state, { type: 'end', key: 'key-2', summary: { outcome: 'stopped' } });
    expect(canContinue(state.runs[0])).toBe(false);
    state = runsReducer(state, { type: 'resume', key: 'key-2' });
    expect(state.runs[0].status).toBe('stopped');

    state = runsReducer(INITIAL_RUNS, {
      type: 'start',
      key: 'key-2',
      createdAt: 2,
      number: 2,
      config: DEFAULT_CONFIG,
      sizes: [784, 30, 10],
      tuning,
    });
    const tuned: RunEvent = {
      kind: 'tuned',
      digits: 5,
      personalBefore: 3,
      personalAfter: 5,
      testBefore: 9531,
      testAfter: 9525,
      total: 10_000,
    };
    state = runsReducer(state, { type: 'events', key: 'key-2', events: [epoch(0, 9520), epoch(1, 9525), tuned] });
    expect(state.log.at(-1)!.text).toBe(
      'Fine-tuned Run 2 on 5 of your digits: 9525 / 10000 (Run 1: 9531); your digits read right: 5 of 5 (Run 1: 3)',
    );
    expect(describeTuning(state.runs[0].tuning!)).toBe('tuned from Run 1 on 5 of your digits (reads 5 of them; Run 1 read 3)');
  });

  it("turns epoch events into chart points and the book's log lines", () => {
    let state = started();
    state = runsReducer(state, {
      type: 'events',
      key: 'key-1',
      events: [{ kind: 'progress', epoch: 0, examplesDone: 25_000, examplesTotal: 50_000, seconds: 0.1 }],
    });
    expect(state.runs[0]).toMatchObject({ status: 'training', examplesDone: 25_000, examplesPerSecond: 250_000 });
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(0, 9061), epoch(1, 9242)] });
    expect(state.runs[0].accuracy.map((a) => a.percent)).toEqual([90.61, 92.42]);
    expect(state.log.map((l) => l.text)).toEqual([
      'Run 1 (784-30-10) · Epoch 0: 9061 / 10000, took 0.20 seconds',
      'Run 1 (784-30-10) · Epoch 1: 9242 / 10000, took 0.20 seconds',
    ]);
    // What the book's two decimals leave out, on hover.
    expect(state.log[0].detail).toBe('trained in 0.2000 s (250,000 examples/s); measured in 0.0200 s');
    expect(state.runs[0].parameters).toBe(parameters);
  });

  it('takes no events once a run has failed, so late messages cannot revive it', () => {
    let state = runsReducer(started(), { type: 'failed', key: 'key-1', message: 'The training worker crashed' });
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(0, 9000)] });
    expect(state.runs[0].status).toBe('failed');
    expect(state.runs[0].accuracy).toEqual([]);
  });

  it('a run whose worker fails after a kept epoch is interrupted, not failed: its epochs stay and Continue takes it on', () => {
    let state = runsReducer(started(), { type: 'events', key: 'key-1', events: [epoch(0, 9000), epoch(1, 9100)] });
    state = runsReducer(state, { type: 'failed', key: 'key-1', message: 'the training worker crashed (boom)' });
    const [run] = state.runs;
    expect(run.status).toBe('interrupted');
    expect(run.error).toBe('the training worker crashed (boom)');
    expect(canContinue(run)).toBe(true);
    expect(state.log.at(-1)!.text).toBe(
      'Run 1 (784-30-10) · stopped: the training worker crashed (boom). Its 2 epochs are kept: Continue it from its card',
    );
    state = runsReducer(state, { type: 'resume', key: 'key-1' });
    expect(state.runs[0]).toMatchObject({ status: 'queued', error: null });
  });

  it('records divergence with advice, and keeps it through the end of the run', () => {
    let state = runsReducer(started(), { type: 'events', key: 'key-1', events: [{ kind: 'diverged', epoch: 2 }] });
    state = runsReducer(state, { type: 'end', key: 'key-1', summary: { outcome: 'diverged' } });
    expect(state.runs[0].status).toBe('diverged');
    expect(state.runs[0].error).toBe('Epoch 2: the weights became NaN or infinite. Try a smaller learning rate than η = 3.');
  });

  it('adds a loaded model as a run with the book-style log line, and removing a run removes its lines', () => {
    let state = runsReducer(started(), {
      type: 'import',
      key: 'key-2',
      createdAt: 2,
      number: 2,
      imported: { model: parameters, correct: 9512, total: 10_000, testReadings: new Uint8Array(10_000) },
      fileName: 'm.json',
      config: DEFAULT_CONFIG,
    });
    expect(state.log.at(-1)!.text).toBe('Run 2 · Loaded model 784-30-10: 9512 / 10000');
    expect(state.selectedKey).toBe('key-2');
    state = runsReducer(state, { type: 'remove', key: 'key-2' });
    expect(state.log).toEqual([]);
    expect(state.selectedKey).toBe('key-1');
  });

  it('brings a run kept by another tab onto the page, then up to date, and never overrides a run this page trains', () => {
    const trained = runsReducer(started(), { type: 'events', key: 'key-1', events: [epoch(0, 9061)] });
    const other: Run = { ...trained.runs[0], key: 'key-other', number: 2, name: 'Run 2', status: 'elsewhere' };
    let state = runsReducer(trained, { type: 'sync', run: other });
    expect(state.runs.map((r) => [r.name, r.status])).toEqual([
      ['Run 1', 'training'],
      ['Run 2', 'elsewhere'],
    ]);
    expect(state.log.at(-1)!.text).toBe('Run 2 (784-30-10) · Epoch 0: 9061 / 10000, took 0.20 seconds (in another tab)');
    const moved = runsReducer(trained, { type: 'events', key: 'key-1', events: [epoch(1, 9242)] }).runs[0];
    state = runsReducer(state, {
      type: 'sync',
      run: { ...moved, key: 'key-other', number: 7, name: 'Run 7', status: 'interrupted', hidden: true },
    });
    // Its name stays; the rest, hidden from the chart included, follows the kept record.
    expect(state.runs[1]).toMatchObject({ key: 'key-other', name: 'Run 2', status: 'interrupted', hidden: true });
    expect(state.log.filter((l) => l.runKey === 'key-other')).toHaveLength(2);
    // The page's own run takes no record from elsewhere.
    expect(runsReducer(state, { type: 'sync', run: { ...other, key: 'key-1', status: 'finished' } }).runs[0].status).toBe('training');
  });

  it('queues every new run until a core is free; a comparison’s runs start off the chart (their bands stand for them)', () => {
    let state = started();
    expect(state.runs[0]).toMatchObject({ status: 'queued', hidden: false, comparison: null });
    state = runsReducer(state, {
      type: 'start',
      key: 'key-2',
      createdAt: 2,
      number: 2,
      config: DEFAULT_CONFIG,
      sizes: [784, 100, 10],
      comparison: 7,
    });
    expect(state.runs[1]).toMatchObject({ status: 'queued', hidden: true, comparison: 7 });
    state = runsReducer(state, { type: 'dequeue', key: 'key-2' });
    expect(state.runs.map((run) => run.status)).toEqual(['queued', 'loading']);
    // A run that ended while it waited (Stop) stays ended.
    state = runsReducer(state, { type: 'end', key: 'key-1', summary: { outcome: 'stopped' } });
    expect(runsReducer(state, { type: 'dequeue', key: 'key-1' }).runs[0].status).toBe('stopped');
  });

  it('continues an interrupted run after its last kept epoch, and says so', () => {
    let state = runsReducer(started(), { type: 'events', key: 'key-1', events: [epoch(0, 9061), epoch(1, 9242)] });
    const interrupted: Run = { ...state.runs[0], status: 'interrupted' };
    expect(interruptedNotice(interrupted)).toBe('Run 1 was interrupted after epoch 1 — its 2 epochs are kept. Continue it from its card.');
    expect(canContinue(interrupted)).toBe(true);
    expect(canContinue({ ...interrupted, status: 'finished' })).toBe(false);
    state = runsReducer({ ...state, runs: [interrupted] }, { type: 'resume', key: 'key-1' });
    // It waits for a core like any run, then loads.
    expect(state.runs[0]).toMatchObject({ status: 'queued', epoch: 2 });
    state = runsReducer(state, { type: 'dequeue', key: 'key-1' });
    expect(state.runs[0]).toMatchObject({ status: 'loading', epoch: 2 });
    expect(state.log.at(-1)!.text).toBe('Run 1 (784-30-10) · continues after epoch 1');
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(2, 9300)] });
    expect(state.runs[0].accuracy.map((a) => a.epoch)).toEqual([0, 1, 2]);
  });
});

describe('secondsLeft', () => {
  it('counts the examples left and every measurement after an epoch, the current one included', () => {
    let state = started();
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(0, 9061)] });
    state = runsReducer(state, {
      type: 'events',
      key: 'key-1',
      events: [{ kind: 'progress', epoch: 1, examplesDone: 25_000, examplesTotal: 50_000, seconds: 0.1 }],
    });
    const run = { ...state.runs[0], config: { ...DEFAULT_CONFIG, epochs: 3 } };
    // 25,000 + 50,000 examples at 250,000/s, and two evaluations of 0.02 s.
    expect(secondsLeft(run)).toBeCloseTo(0.3 + 2 * 0.02, 6);
    // While the last epoch's digits are measured, the evaluation still counts.
    expect(secondsLeft({ ...run, epoch: 2, examplesDone: 50_000 })).toBeCloseTo(0.02, 6);
  });
});

describe('runOutcome', () => {
  it('says how a run ended, its last accuracy and its best when that came earlier, in the log’s epoch numbers', () => {
    let state = started();
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(0, 9108), epoch(1, 9530), epoch(2, 9494)] });
    state = runsReducer(state, { type: 'end', key: 'key-1', summary: { outcome: 'finished' } });
    expect(runOutcome(state.runs[0])).toBe('Run 1 finished: 94.94%, best 95.30% at epoch 1');
    const stopped = runsReducer(runsReducer(started(), { type: 'events', key: 'key-1', events: [epoch(0, 9108)] }), {
      type: 'end',
      key: 'key-1',
      summary: { outcome: 'stopped' },
    });
    expect(runOutcome(stopped.runs[0])).toBe('Run 1 stopped after epoch 0: 91.08%');
    const failed = runsReducer(started(), { type: 'failed', key: 'key-1', message: 'its worker did not start within 15 s' });
    expect(runOutcome(failed.runs[0])).toBe('Run 1 failed: its worker did not start within 15 s');
  });
});

describe('stallWords', () => {
  it('names digits never read, and digits read but mostly wrongly with their counts, as a card says them', () => {
    const point = {
      epoch: 29,
      percent: 77.68,
      correct: 7768,
      total: 10_000,
      testCost: null,
      trainingPercent: null,
      trainingCost: null,
      validationCorrect: null,
      seconds: 0.3,
    };
    expect(stallWords({ ...point, neverReads: [], readsBadly: [] })).toEqual([]);
    expect(
      stallWords({
        ...point,
        neverReads: [1],
        readsBadly: [
          { digit: 0, right: 7, total: 980 },
          { digit: 1, right: 2, total: 1135 },
          { digit: 7, right: 35, total: 1028 },
        ],
      }),
    ).toEqual(['never reads 1', 'reads 7 of 980 zeros right', 'reads 35 of 1,028 sevens right']);
    // Runs kept before the counts existed still say what they knew.
    expect(stallWords({ ...point, neverReads: [1, 7] })).toEqual(['never reads 1, 7']);
  });
});

describe('a paused run', () => {
  it('takes the network where it paused, is kept there, reads again with it, and trains again on Resume', () => {
    let state = runsReducer(started(), { type: 'events', key: 'key-1', events: [epoch(0, 9061)] });
    const position: RunEvent = { kind: 'position', epoch: 1, examplesDone: 370, examplesTotal: 50_000, paused: true, parameters };
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [position] });
    expect(state.runs[0]).toMatchObject({ status: 'paused', position: { epoch: 1, example: 370 }, testReadings: null, examplesDone: 370 });
    expect(isActive(state.runs[0])).toBe(true);
    // A step's progress leaves it paused.
    state = runsReducer(state, {
      type: 'events',
      key: 'key-1',
      events: [{ kind: 'progress', epoch: 1, examplesDone: 380, examplesTotal: 50_000, seconds: 0.1 }],
    });
    expect(state.runs[0].status).toBe('paused');
    state = runsReducer(state, { type: 'resumed' });
    expect(state.runs[0].status).toBe('training');
    // Its next epoch is its network again: no position.
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [epoch(1, 9242)] });
    expect(state.runs[0]).toMatchObject({ position: null, live: null });
  });
});

describe('learning within an epoch', () => {
  const within = (epoch: number, examplesDone: number, correct: number): RunEvent => ({
    kind: 'within',
    epoch,
    examplesDone,
    examplesTotal: 50_000,
    correct,
    total: 10_000,
  });

  it('keeps each measurement in order, and a continued run measures again from where it picks up', () => {
    let state = runsReducer(started(), {
      type: 'events',
      key: 'key-1',
      events: [within(0, 0, 1014), within(0, 1000, 2782), epoch(0, 9061)],
    });
    const position: RunEvent = { kind: 'position', epoch: 1, examplesDone: 2000, examplesTotal: 50_000, paused: true, parameters };
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [within(1, 1000, 9100), position, within(1, 3000, 9150)] });
    expect(state.runs[0].within.map((p) => [p.epoch, p.examples, p.percent])).toEqual([
      [0, 0, 10.14],
      [0, 1000, 27.82],
      [1, 1000, 91],
      [1, 3000, 91.5],
    ]);
    // Stopped there and continued: what was measured after example 2,000 of epoch 1 belonged to a network not kept.
    state = runsReducer(state, { type: 'end', key: 'key-1', summary: { outcome: 'stopped' } });
    state = runsReducer(state, { type: 'resume', key: 'key-1' });
    expect(state.runs[0].within.map((p) => p.examples)).toEqual([0, 1000, 1000]);
    // Measured again at a place already measured: the new measurement replaces the old.
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [within(1, 1000, 9111)] });
    expect(state.runs[0].within.map((p) => p.percent)).toEqual([10.14, 27.82, 91.11]);
  });
});

describe("chapter 5's speeds of learning", () => {
  const speeds = (epoch: number, lengths: number[], examplesDone?: number): RunEvent => ({
    kind: 'speeds',
    epoch,
    lengths,
    ...(examplesDone !== undefined && { examplesDone, examplesTotal: 50_000 }),
  });

  it('keeps the start, the first epoch’s marks and the epochs in the order they came, a measurement again replacing the old', () => {
    let state = runsReducer(started(), {
      type: 'events',
      key: 'key-1',
      events: [speeds(-1, [0.01, 0.1]), speeds(0, [0.02, 0.2], 10), speeds(0, [0.03, 0.3], 20000), speeds(0, [0.04, 0.4])],
    });
    expect(state.runs[0].speeds.map((s) => [s.epoch, s.examples ?? null, s.lengths[0]])).toEqual([
      [-1, null, 0.01],
      [0, 10, 0.02],
      [0, 20000, 0.03],
      [0, null, 0.04],
    ]);
    // A run continued from the start measures its first epoch again: what came after goes.
    state = runsReducer(state, { type: 'events', key: 'key-1', events: [speeds(0, [0.05, 0.5], 10)] });
    expect(state.runs[0].speeds.map((s) => s.lengths[0])).toEqual([0.01, 0.05]);
  });
});
