import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../nn/config';
import { parseTrainConfig, settingTexts } from '../../nn/settings';
import { NETWORK3_LADDER } from '../../nn/network3/ladder';
import { comparedConfig, comparisonChoices, withFieldChanged } from './network-kind';

const book = settingTexts(DEFAULT_CONFIG);

describe('choosing a network kind', () => {
  it('a chapter 6 network fills in the settings the book trains it with, and back to the multilayer kind restores chapter 1’s', () => {
    const convolutional = withFieldChanged({ ...book, trainingExamples: '10000', seed: '7' }, 'kind', 'convolutional');
    expect(convolutional).toMatchObject({
      kind: 'convolutional',
      chapter6: 'relu',
      eta: '0.03',
      lambda: '0.1',
      epochs: '60',
      miniBatchSize: '10',
    });
    // What the person set that the book does not fix stays.
    expect(convolutional).toMatchObject({ trainingExamples: '10000', seed: '7' });
    const dropout = withFieldChanged(convolutional, 'chapter6', 'dropout');
    expect(dropout).toMatchObject({ chapter6: 'dropout', epochs: '40', lambda: '0', expand: 'true' });
    const parsed = parseTrainConfig(dropout);
    expect(parsed.ok && parsed.value).toMatchObject({ kind: 'convolutional', chapter6: 'dropout', eta: 0.03, expand: true });
    expect(withFieldChanged(dropout, 'kind', 'mlp')).toMatchObject({ kind: 'mlp', eta: '3.0', lambda: '0', epochs: '30', expand: 'false' });
    // Any other field changes alone, and a chapter 6 choice with the multilayer kind changes nothing else.
    expect(withFieldChanged(dropout, 'eta', '0.05')).toEqual({ ...dropout, eta: '0.05' });
    expect(withFieldChanged(book, 'chapter6', 'conv1')).toEqual({ ...book, chapter6: 'conv1' });
  });

  it('refuses a network kind or a chapter 6 network that does not exist, in words', () => {
    expect(parseTrainConfig({ kind: 'recurrent' })).toEqual({
      ok: false,
      errors: [{ field: 'kind', message: 'the network kind must be mlp or convolutional' }],
    });
    const parsed = parseTrainConfig({ chapter6: 'lenet' });
    expect(!parsed.ok && parsed.errors[0].message).toMatch(/^the chapter 6 network must be shallow or conv1 or /);
  });

  it('compares a chapter 6 network with chapter 1’s, chapter 3’s or another of the ladder, each with the book’s settings and the same epochs, examples and seed', () => {
    const base = {
      ...DEFAULT_CONFIG,
      kind: 'convolutional' as const,
      chapter6: 'relu',
      eta: 0.03,
      lambda: 0.1,
      epochs: 3,
      trainingExamples: 5000,
      seed: 4,
    };
    expect(comparisonChoices('relu').map(([id]) => id)).toEqual([
      'chapter1',
      'chapter3',
      ...NETWORK3_LADDER.map((p) => p.id).filter((id) => id !== 'relu'),
    ]);
    expect(comparedConfig(base, 'chapter1')).toEqual({ ...DEFAULT_CONFIG, epochs: 3, trainingExamples: 5000, seed: 4 });
    expect(comparedConfig(base, 'chapter3')).toMatchObject({
      kind: 'mlp',
      hidden: [100],
      cost: 'cross-entropy',
      lambda: 5,
      eta: 0.1,
      init: 'scaled',
      epochs: 3,
    });
    expect(comparedConfig(base, 'conv2')).toMatchObject({
      kind: 'convolutional',
      chapter6: 'conv2',
      eta: 0.1,
      lambda: 0,
      epochs: 3,
      seed: 4,
    });
    expect(() => comparedConfig(base, 'nothing')).toThrow('there is no network “nothing” to compare with');
  });
});
