import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../nn/config';
import { Network3 } from '../../../nn/network3/network3';
import { network3Preset } from '../../../nn/network3/ladder';
import type { RunEvent } from '../../../worker/protocol';
import { INITIAL_RUNS, runsReducer } from '../run-state';
import { epochEvent } from '../test-helpers';
import { check, KeptRunSchema } from './kept-schema';
import { keptOf } from './run-store';

const config = { ...DEFAULT_CONFIG, kind: 'convolutional' as const, chapter6: 'conv1', eta: 0.1, epochs: 2 };
const convnet = new Network3(network3Preset('conv1')!.layers, { seed: 1 }).toParameters();

/** A chapter 6 run after one epoch, and a within-epoch point on 1,000 digits, as the page holds it. */
function convolutionalRun() {
  let state = runsReducer(INITIAL_RUNS, { type: 'start', key: 'k', createdAt: 1, number: 1, config, sizes: [784, 10] });
  const within: RunEvent = { kind: 'within', epoch: 0, examplesDone: 5000, examplesTotal: 50_000, correct: 950, total: 1000 };
  state = runsReducer(state, {
    type: 'events',
    key: 'k',
    events: [within, { ...(epochEvent(0, 9700) as Extract<RunEvent, { kind: 'epoch' }>), parameters: convnet }],
  });
  return state.runs[0];
}

describe('a chapter 6 run as kept', () => {
  it('is kept with its layers and parameters, and its within-epoch points say of how many test digits', () => {
    const run = convolutionalRun();
    expect(run.within).toEqual([{ epoch: 0, examples: 5000, examplesTotal: 50_000, percent: 95, digits: 1000 }]);
    const kept = keptOf(run);
    const read = check(KeptRunSchema, structuredClone(kept));
    expect(read.ok && read.value.parameters).toEqual(convnet);
  });

  it('is refused when its network is not its settings’ or not whole, with the reason', () => {
    const kept = keptOf(convolutionalRun());
    const refused = (record: unknown) => {
      const result = check(KeptRunSchema, record);
      return result.ok ? 'kept' : result.reason;
    };
    // Another network of the ladder than its settings name.
    expect(refused({ ...kept, config: { ...kept.config, chapter6: 'conv2' } })).toBe('it has weights that do not fit its network');
    // A multilayer run holding a convnet.
    expect(refused({ ...kept, config: { ...kept.config, kind: 'mlp' }, sizes: [784, 30, 10] })).toBe(
      'it has weights that do not fit its network',
    );
    // A layer's weights cut short.
    const short = structuredClone(kept) as typeof kept & { parameters: typeof convnet };
    short.parameters.parameters[1].w = new Float32Array(5);
    expect(refused(short)).toBe('it has weights that do not fit its network');
    // Layers that do not fit together.
    const broken = structuredClone(kept) as typeof kept & { parameters: typeof convnet };
    broken.parameters.layers[0] = { ...broken.parameters.layers[0], filterSize: 40 } as never;
    expect(refused(broken)).toMatch(/^its parameters/);
    // A weight that is no number.
    const nan = structuredClone(kept) as typeof kept & { parameters: typeof convnet };
    nan.parameters.parameters[0].b[3] = Number.NaN;
    expect(refused(nan)).toBe('it has weights that are not numbers');
  });
});
