/** The page's settings in its URL (`?hidden=100&eta=0.5…`), so a link reproduces a run: same seed, same curve. */
import { DEFAULT_CONFIG, type ConfigField } from '../../nn/config';
import { SETTINGS, settingTexts } from '../../nn/settings';
import type { FieldValues } from './Controls';

/** A link names each setting by its field. */
const FIELDS: ConfigField[] = SETTINGS.map((s) => s.field);

/** The form's values from a query string: the book's defaults, overridden by what the link says (checked later, as typed). */
export function fieldValuesFromSearch(search: string): FieldValues {
  const params = new URLSearchParams(search);
  const values = settingTexts(DEFAULT_CONFIG);
  for (const field of FIELDS) {
    const v = params.get(field);
    if (v !== null) values[field] = v;
  }
  return values;
}

/** A query string for the form's values, keeping what else `current` says (such as `kernel=simd`) after them. */
export function searchOf(values: FieldValues, current = ''): string {
  const params = new URLSearchParams(FIELDS.map((f) => [f, values[f].trim()]));
  for (const [name, value] of new URLSearchParams(current)) if (!FIELDS.includes(name as ConfigField)) params.append(name, value);
  return `?${params.toString()}`;
}
