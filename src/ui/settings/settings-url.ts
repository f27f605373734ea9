/** The page's settings in its URL (`?hidden=100&eta=0.5…`), so a link reproduces a run: same seed, same curve. */
import { DEFAULT_CONFIG, type ConfigField, type TrainConfig } from '../../nn/config';
import type { FieldValues } from './Controls';

/** The fields as the form shows them, from a config. */
export function fieldValuesOf(config: TrainConfig): FieldValues {
  return {
    hidden: config.hidden.join(', '),
    epochs: String(config.epochs),
    miniBatchSize: String(config.miniBatchSize),
    eta: config.eta === 3 ? '3.0' : String(config.eta),
    seed: String(config.seed),
    trainingExamples: String(config.trainingExamples),
    cost: config.cost,
    lambda: String(config.lambda),
    init: config.init,
    earlyStopping: String(config.earlyStopping),
    monitorTraining: String(config.monitorTraining),
    expand: String(config.expand),
    distort: String(config.distort),
    distortion: String(config.distortion),
    seedsPerNetwork: String(config.seedsPerNetwork),
  };
}

const FIELDS = Object.keys(fieldValuesOf(DEFAULT_CONFIG)) as ConfigField[];

/** The form's values from a query string: the book's defaults, overridden by what the link says (checked later, as typed). */
export function fieldValuesFromSearch(search: string): FieldValues {
  const params = new URLSearchParams(search);
  const values = fieldValuesOf(DEFAULT_CONFIG);
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
