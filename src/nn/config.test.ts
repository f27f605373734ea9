import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, networkSizes } from './config';
import { parseTrainConfig } from './settings';

describe('parseTrainConfig', () => {
  it("defaults to the book's chapter 1 run", () => {
    expect(parseTrainConfig({})).toEqual({ ok: true, value: DEFAULT_CONFIG });
    expect(networkSizes(DEFAULT_CONFIG)).toEqual([784, 30, 10]);
  });

  it('reads strings from fields and flags, hidden layers as a comma list', () => {
    const parsed = parseTrainConfig({
      hidden: '100, 30',
      epochs: '3',
      miniBatchSize: '20',
      eta: '0.5',
      seed: '7',
      trainingExamples: '2000',
    });
    expect(parsed).toEqual({
      ok: true,
      value: { ...DEFAULT_CONFIG, hidden: [100, 30], epochs: 3, miniBatchSize: 20, eta: 0.5, seed: 7, trainingExamples: 2000 },
    });
  });

  it('takes numbers only as a person writes them, and yes-or-no only as true or false', () => {
    for (const eta of ['0x1E', '1_000', 'Infinity', '1e', '.', '3,0']) {
      expect(parseTrainConfig({ eta }), eta).toEqual({ ok: false, errors: [{ field: 'eta', message: 'η must be a number' }] });
    }
    for (const eta of ['3', '+3', '3.', '.5', '5e-1', ' 0.5 ']) expect(parseTrainConfig({ eta }).ok, eta).toBe(true);
    expect(parseTrainConfig({ hidden: '0x1E' })).toEqual({
      ok: false,
      errors: [{ field: 'hidden', message: 'each layer size must be a number' }],
    });
    expect(parseTrainConfig({ expand: 'yes', monitorTraining: '2', distort: 'false' })).toEqual({
      ok: false,
      errors: [
        { field: 'monitorTraining', message: 'monitoring the training data must be true or false' },
        { field: 'expand', message: 'expanding the training data must be true or false' },
      ],
    });
    expect(parseTrainConfig({ expand: true, distort: 'true', monitorTraining: 'false' })).toMatchObject({
      ok: true,
      value: { expand: true, distort: true, monitorTraining: false },
    });
  });

  it("reads chapter 3's options", () => {
    const parsed = parseTrainConfig({
      cost: 'cross-entropy',
      lambda: '5.0',
      init: 'scaled',
      earlyStopping: '10',
      monitorTraining: 'true',
      expand: 'true',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        ...DEFAULT_CONFIG,
        cost: 'cross-entropy',
        lambda: 5,
        init: 'scaled',
        earlyStopping: 10,
        monitorTraining: true,
        expand: true,
      },
    });
  });

  it.each([
    ['epochs', 'abc', 'epochs must be a number'],
    ['epochs', '0', 'epochs must be at least 1'],
    ['epochs', '2.5', 'epochs must be a whole number'],
    ['epochs', '1001', 'epochs must be at most 1,000'],
    ['hidden', '30,', 'each layer size must be a number'],
    ['hidden', '0', 'each layer size must be at least 1'],
    ['hidden', '2001', 'each layer size must be at most 2,000'],
    ['hidden', '1,2,3,4,5,6', 'at most 5 hidden layers'],
    ['eta', '-1', 'η must be greater than 0'],
    ['eta', '1e4', 'η must be at most 1000'],
    ['eta', '', 'η must be a number'],
    ['trainingExamples', '60000', 'training examples must be at most 50,000'],
    ['lambda', '-0.1', 'λ must be 0 or more'],
    ['lambda', 'x', 'λ must be a number'],
    ['cost', 'hinge', 'cost must be quadratic or cross-entropy'],
    ['init', 'zeros', 'weight initialisation must be large or scaled'],
    ['earlyStopping', '-1', 'early stopping must be at least 0'],
  ] as const)('refuses %s = %j: %s', (field, raw, message) => {
    expect(parseTrainConfig({ [field]: raw })).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('bounds the mini-batch by the number of training examples', () => {
    expect(parseTrainConfig({ trainingExamples: '100', miniBatchSize: '101' })).toEqual({
      ok: false,
      errors: [{ field: 'miniBatchSize', message: 'mini-batch size must be at most 100' }],
    });
  });
});
