/** The run's settings as the book names them, checked as the user types, and the Train/Stop/Compare buttons. */
import { useId } from 'react';
import { LIMITS, type ConfigField, type FieldError } from '../../nn/config';

export type FieldValues = Record<ConfigField, string>;

const FIELDS: { field: ConfigField; label: string; hint: string; inputMode: 'numeric' | 'decimal' | 'text' }[] = [
  { field: 'hidden', label: 'Hidden layers', hint: `e.g. 30 or 100, 30 (≤ ${LIMITS.hiddenLayers} layers)`, inputMode: 'text' },
  { field: 'epochs', label: 'Epochs', hint: `1–${LIMITS.epochs}`, inputMode: 'numeric' },
  { field: 'miniBatchSize', label: 'Mini-batch size', hint: 'examples per step', inputMode: 'numeric' },
  { field: 'eta', label: 'Learning rate (η)', hint: 'the book uses 3.0', inputMode: 'decimal' },
  { field: 'seed', label: 'Seed', hint: 'same seed, same run', inputMode: 'numeric' },
  { field: 'trainingExamples', label: 'Training examples', hint: 'of the 50,000', inputMode: 'numeric' },
];

interface ControlsProps {
  values: FieldValues;
  errors: FieldError[];
  running: boolean;
  onChange(field: ConfigField, value: string): void;
  onTrain(): void;
  onStop(): void;
  onCompare(): void;
}

export function Controls({ values, errors, running, onChange, onTrain, onStop, onCompare }: ControlsProps) {
  const id = useId();
  const invalid = errors.length > 0;
  return (
    <form
      className="controls"
      aria-label="Training settings"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid) onTrain();
      }}
    >
      <div className="fields">
        {FIELDS.map(({ field, label, hint, inputMode }) => {
          const error = errors.find((e) => e.field === field);
          const inputId = `${id}-${field}`;
          const noteId = `${inputId}-note`;
          return (
            <div className={`field${error ? ' invalid' : ''}`} key={field}>
              <label htmlFor={inputId}>{label}</label>
              <input
                id={inputId}
                name={field}
                value={values[field]}
                inputMode={inputMode}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={noteId}
                onChange={(event) => onChange(field, event.target.value)}
              />
              <small id={noteId} className={error ? 'error' : 'hint'}>
                {error ? error.message : hint}
              </small>
            </div>
          );
        })}
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={invalid}>
          Train
        </button>
        <button type="button" onClick={onCompare} disabled={invalid} title="Start 784-30-10 and 784-100-10 at once with these settings">
          Compare 30 vs 100 hidden
        </button>
        <button type="button" onClick={onStop} disabled={!running}>
          Stop
        </button>
      </div>
    </form>
  );
}
