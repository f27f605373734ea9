/** The run's settings as the book names them, checked as the user types, and the Train/Stop/Compare buttons. */
import { useId, useState, memo } from 'react';
import { LIMITS, type ConfigField, type FieldError } from '../../nn/config';

export type FieldValues = Record<ConfigField, string>;

type FieldSpec =
  | { field: ConfigField; label: string; hint: string; kind: 'text'; inputMode: 'numeric' | 'decimal' | 'text' }
  | { field: ConfigField; label: string; hint: string; kind: 'select'; options: [value: string, label: string][] }
  | { field: ConfigField; label: string; hint: string; kind: 'checkbox' };

const CHAPTER_1: FieldSpec[] = [
  {
    field: 'hidden',
    label: 'Hidden layers',
    hint: `e.g. 30 or 100, 30 (≤ ${LIMITS.hiddenLayers} layers)`,
    kind: 'text',
    inputMode: 'text',
  },
  { field: 'epochs', label: 'Epochs', hint: `1–${LIMITS.epochs}`, kind: 'text', inputMode: 'numeric' },
  { field: 'miniBatchSize', label: 'Mini-batch size', hint: 'examples per step', kind: 'text', inputMode: 'numeric' },
  { field: 'eta', label: 'Learning rate (η)', hint: 'the book uses 3.0', kind: 'text', inputMode: 'decimal' },
  { field: 'seed', label: 'Seed', hint: 'same seed, same run', kind: 'text', inputMode: 'numeric' },
  { field: 'trainingExamples', label: 'Training examples', hint: 'of the 50,000', kind: 'text', inputMode: 'numeric' },
  {
    field: 'seedsPerNetwork',
    label: 'Seeds per network',
    hint: `Compare: runs of each, 1–${LIMITS.seedsPerNetwork}`,
    kind: 'text',
    inputMode: 'numeric',
  },
];

const CHAPTER_3: FieldSpec[] = [
  {
    field: 'cost',
    label: 'Cost',
    hint: 'cross-entropy learns faster',
    kind: 'select',
    options: [
      ['quadratic', 'Quadratic (ch. 1)'],
      ['cross-entropy', 'Cross-entropy (ch. 3)'],
    ],
  },
  { field: 'lambda', label: 'Regularisation λ', hint: 'L2; the book uses 5.0', kind: 'text', inputMode: 'decimal' },
  {
    field: 'init',
    label: 'Weight initialisation',
    hint: 'scaled: N(0, 1/√n)',
    kind: 'select',
    options: [
      ['large', 'Large N(0, 1) (ch. 1)'],
      ['scaled', 'Scaled N(0, 1/√n) (ch. 3)'],
    ],
  },
  { field: 'earlyStopping', label: 'Early stopping', hint: 'epochs without progress; 0 = off', kind: 'text', inputMode: 'numeric' },
  { field: 'monitorTraining', label: 'Monitor training data', hint: 'cost and accuracy on the training set too', kind: 'checkbox' },
  { field: 'expand', label: 'Expand the training data', hint: 'the book’s one-pixel shifts: 5× the examples', kind: 'checkbox' },
  {
    field: 'distort',
    label: 'Distort the training data',
    hint: 'each epoch, every digit slightly rotated, scaled, sheared and warped',
    kind: 'checkbox',
  },
  {
    field: 'distortion',
    label: 'Distortion strength',
    hint: `1 = ±10°, ±10% size; up to ${LIMITS.distortion}`,
    kind: 'text',
    inputMode: 'decimal',
  },
];

/** Chapter 3's fields as chapter 1 has them: the section is open on arrival when any differs. */
const CHAPTER_1_VALUES: Partial<FieldValues> = {
  cost: 'quadratic',
  lambda: '0',
  init: 'large',
  earlyStopping: '0',
  monitorTraining: 'false',
  expand: 'false',
  distort: 'false',
  distortion: '1',
};

export interface ControlsProps {
  values: FieldValues;
  errors: FieldError[];
  running: boolean;
  ready: boolean;
  onChange(field: ConfigField, value: string): void;
  onTrain(): void;
  onStop(): void;
  onCompare(): void;
}

/** One setting: its label, its input (text, choice or checkbox) and its hint, or its error in its place. */
function Field({
  spec,
  value,
  error,
  formId,
  onChange,
}: {
  spec: FieldSpec;
  value: string;
  error: FieldError | undefined;
  formId: string;
  onChange(field: ConfigField, value: string): void;
}) {
  const inputId = `${formId}-${spec.field}`;
  const noteId = `${inputId}-note`;
  const note = (
    <small id={noteId} className={error ? 'error' : 'hint'}>
      {error ? error.message : spec.hint}
    </small>
  );
  if (spec.kind === 'checkbox') {
    return (
      <div className={`field checkbox-field${error ? ' invalid' : ''}`}>
        <label className="check">
          <input
            type="checkbox"
            checked={value === 'true'}
            // A link's `?expand=yes` is neither: unticked, marked, and ticking it sets it right.
            aria-invalid={error ? true : undefined}
            aria-describedby={noteId}
            onChange={(event) => onChange(spec.field, String(event.target.checked))}
          />
          {spec.label}
        </label>
        {note}
      </div>
    );
  }
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={inputId}>{spec.label}</label>
      {spec.kind === 'select' ? (
        <select
          id={inputId}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          onChange={(event) => onChange(spec.field, event.target.value)}
        >
          {/* A value from the URL that is not a choice is shown as it is, not as the first valid one. */}
          {!spec.options.some(([choice]) => choice === value) && (
            <option value={value} disabled>
              “{value}” (not a choice)
            </option>
          )}
          {spec.options.map(([choice, label]) => (
            <option key={choice} value={choice}>
              {label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={inputId}
          name={spec.field}
          value={value}
          inputMode={spec.inputMode}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          onChange={(event) => onChange(spec.field, event.target.value)}
        />
      )}
      {note}
    </div>
  );
}

export const Controls = memo(function Controls({ values, errors, running, ready, onChange, onTrain, onStop, onCompare }: ControlsProps) {
  const id = useId();
  const invalid = errors.length > 0;
  // Open at first when a link sets any of chapter 3's fields; from then on the person opens and closes it
  // (editing a field back to chapter 1's value must not close it under their hands).
  const [chapter3Open, setChapter3Open] = useState(() => CHAPTER_3.some((s) => values[s.field] !== CHAPTER_1_VALUES[s.field]));
  const render = (spec: FieldSpec) => (
    <Field
      key={spec.field}
      spec={spec}
      value={values[spec.field]}
      error={errors.find((e) => e.field === spec.field)}
      formId={id}
      onChange={onChange}
    />
  );
  return (
    <form
      className="controls"
      aria-label="Training settings"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid && ready) onTrain();
      }}
    >
      <div className="fields">{CHAPTER_1.map(render)}</div>
      <details className="chapter3" open={chapter3Open} onToggle={(event) => setChapter3Open(event.currentTarget.open)}>
        <summary>Chapter 3: cost, regularisation, initialisation</summary>
        <div className="fields">{CHAPTER_3.map(render)}</div>
      </details>
      <div className="buttons">
        <button type="submit" className="primary" disabled={invalid || !ready}>
          Train
        </button>
        <button
          type="button"
          onClick={onCompare}
          disabled={invalid || !ready}
          title="Train 784-30-10 and 784-100-10 with these settings, each with as many seeds as Seeds per network says"
        >
          Compare 30 vs 100 hidden
        </button>
        <button type="button" onClick={onStop} disabled={!running}>
          Stop
        </button>
      </div>
    </form>
  );
});
