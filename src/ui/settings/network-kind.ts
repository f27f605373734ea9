/**
 * Choosing a network kind or one of chapter 6's networks fills in the settings the book trains it with:
 * a chapter 6 network its η, λ, mini-batch, epochs and data (network3.py's runs in the chapter); back to
 * the multilayer networks, chapter 1's. The person can change any of them afterwards. Pure.
 */
import { DEFAULT_CONFIG, type ConfigField } from '../../nn/config';
import { network3Preset } from '../../nn/network3/ladder';
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
