/**
 * Choosing a network kind or one of chapter 6's networks fills in the settings the book trains it with:
 * a chapter 6 network its η, λ, mini-batch, epochs and data (network3.py's runs in the chapter); back to
 * the multilayer networks, chapter 1's. The person can change any of them afterwards. Pure.
 */
import { DEFAULT_CONFIG, type ConfigField, type TrainConfig } from '../../nn/config';
import { NETWORK3_LADDER, network3Preset } from '../../nn/network3/ladder';
import { settingTexts } from '../../nn/settings';

export type FieldValues = Record<ConfigField, string>;

/** The fields a kind or a chapter 6 network sets. */
const PRESET_FIELDS = ['eta', 'lambda', 'miniBatchSize', 'epochs', 'expand'] as const;

/** `values` with `field` set to `value`, and the fields the book sets with it when it is a network's choice. */
export function withFieldChanged(values: FieldValues, field: ConfigField, value: string): FieldValues {
  const next = { ...values, [field]: value };
  if (field === 'kind' && value === 'mlp' && values.kind !== 'mlp') {
    const book = settingTexts(DEFAULT_CONFIG);
    for (const f of PRESET_FIELDS) next[f] = book[f];
    return next;
  }
  const chosen = (field === 'kind' && value === 'convolutional') || (field === 'chapter6' && values.kind === 'convolutional');
  const preset = chosen ? network3Preset(next.chapter6) : undefined;
  if (!preset) return next;
  const book = settingTexts({ ...DEFAULT_CONFIG, ...preset });
  for (const f of PRESET_FIELDS) next[f] = book[f];
  return next;
}

/**
 * What a chapter 6 network can be compared with: chapter 1's network, chapter 3's best (the book's 98.04% run:
 * 784-100-10, cross-entropy, λ = 5.0, η = 0.1, scaled start) and the other networks of the ladder.
 */
export function comparisonChoices(current: string): [id: string, label: string][] {
  return [
    ['chapter1', '784-30-10 (chapter 1: η = 3.0)'],
    ['chapter3', '784-100-10 (chapter 3: cross-entropy, λ = 5, η = 0.1)'],
    ...NETWORK3_LADDER.filter((p) => p.id !== current).map((p): [string, string] => [
      p.id,
      `${p.name} (the book: ${p.bookPercent.toFixed(2)}%)`,
    ]),
  ];
}

/**
 * The network `choice` names, trained as the book trains it, for as many epochs, on as many examples and from
 * the same seed as `base` (so the two runs of a comparison differ in their network and its own settings alone).
 */
export function comparedConfig(base: TrainConfig, choice: string): TrainConfig {
  const shared = { epochs: base.epochs, trainingExamples: base.trainingExamples, seed: base.seed, seedsPerNetwork: base.seedsPerNetwork };
  if (choice === 'chapter1') return { ...DEFAULT_CONFIG, ...shared };
  if (choice === 'chapter3')
    return { ...DEFAULT_CONFIG, ...shared, hidden: [100], cost: 'cross-entropy', lambda: 5, eta: 0.1, init: 'scaled' };
  const preset = network3Preset(choice);
  if (!preset) throw new RangeError(`there is no network “${choice}” to compare with`);
  const { eta, lambda, miniBatchSize, expand } = preset;
  return { ...DEFAULT_CONFIG, ...shared, kind: 'convolutional', chapter6: preset.id, eta, lambda, miniBatchSize, expand };
}
