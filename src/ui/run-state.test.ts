import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../nn/config';
import type { ModelParameters, RunEvent } from '../worker/protocol';
import { INITIAL_RUNS, runsReducer, type RunsState } from './run-state';

const parameters: ModelParameters = { sizes: [784, 30, 10], weights: [], biases: [], cost: 'quadratic' };
const epoch = (n: number, correct: number): RunEvent => ({
  kind: 'epoch',
  epoch: n,
  correct,
  total: 10_000,
  testCost: 0.1,
  trainingCorrect: null,
  trainingCost: null,
  trainingTotal: 50_000,
  validationCorrect: null,
  seconds: 0.2,
  evalSeconds: 0.02,
  examplesPerSecond: 250_000,
  parameters,
});

function started(): RunsState {
  return runsReducer(INITIAL_RUNS, { type: 'start', id: 1, config: DEFAULT_CONFIG, sizes: [784, 30, 10] });
}

describe('runsReducer', () => {
  it("turns epoch events into chart points and the book's log lines", () => {
    let state = started();
    state = runsReducer(state, { type: 'events', id: 1, events: [{ kind: 'progress', epoch: 0, examplesDone: 25_000, examplesTotal: 50_000, seconds: 0.1 }] });
    expect(state.runs[0]).toMatchObject({ status: 'training', examplesDone: 25_000, examplesPerSecond: 250_000 });
    state = runsReducer(state, { type: 'events', id: 1, events: [epoch(0, 9061), epoch(1, 9242)] });
    expect(state.runs[0].accuracy.map((a) => a.percent)).toEqual([90.61, 92.42]);
    expect(state.log.map((l) => l.text)).toEqual([
      'Run 1 (784-30-10) · Epoch 0: 9061 / 10000, took 0.20 seconds',
      'Run 1 (784-30-10) · Epoch 1: 9242 / 10000, took 0.20 seconds',
    ]);
    expect(state.runs[0].parameters).toBe(parameters);
  });

  it('takes no events once a run has failed, so late messages cannot revive it', () => {
    let state = runsReducer(started(), { type: 'failed', id: 1, message: 'The training worker crashed' });
    state = runsReducer(state, { type: 'events', id: 1, events: [epoch(0, 9000)] });
    expect(state.runs[0].status).toBe('failed');
    expect(state.runs[0].accuracy).toEqual([]);
  });

  it('records divergence with advice, and keeps it through the end of the run', () => {
    let state = runsReducer(started(), { type: 'events', id: 1, events: [{ kind: 'diverged', epoch: 2 }] });
    state = runsReducer(state, { type: 'end', id: 1, summary: { outcome: 'diverged', epochsDone: 2 } });
    expect(state.runs[0].status).toBe('diverged');
    expect(state.runs[0].error).toBe('Epoch 2: the weights became NaN or infinite. Try a smaller learning rate than η = 3.');
  });

  it('adds a loaded model as a run with the book-style log line, and removing a run removes its lines', () => {
    let state = runsReducer(started(), { type: 'import', id: 2, model: parameters, correct: 9512, total: 10_000, fileName: 'm.json', config: DEFAULT_CONFIG });
    expect(state.log.at(-1)!.text).toBe('Run 2 · Loaded model 784-30-10: 9512 / 10000');
    expect(state.selectedId).toBe(2);
    state = runsReducer(state, { type: 'remove', id: 2 });
    expect(state.log).toEqual([]);
    expect(state.selectedId).toBe(1);
  });
});
