/**
 * The run's settings as the book names them (declared once, in nn/settings.ts), checked as the user types,
 * and the Train/Stop/Compare buttons.
 */
import { useId, useState, memo, type ReactNode } from 'react';
import { DEFAULT_CONFIG, type ConfigField } from '../../nn/config';
import { SETTINGS, settingTexts, type FieldError, type Setting } from '../../nn/settings';
import { describeLayers, network3Preset, type Network3Preset } from '../../nn/network3/ladder';

export type { FieldValues } from './network-kind';
import { comparisonChoices, type FieldValues } from './network-kind';

const CHAPTER_1 = SETTINGS.filter((s) => s.chapter === 1);
const CHAPTER_3 = SETTINGS.filter((s) => s.chapter === 3);
const [KIND, CHAPTER_6] = SETTINGS.filter((s) => s.chapter === 6);
/** What a chapter 6 network trains with besides chapter 1's fields: network3.py has L2 and the expanded data, none of chapter 3's other options. */
const CHAPTER_6_EXTRAS: ConfigField[] = ['lambda', 'expand'];

/** Chapter 3's fields as chapter 1 has them (the defaults): the section is open on arrival when any differs. */
const CHAPTER_1_VALUES = settingTexts(DEFAULT_CONFIG);

export interface ControlsProps {
  values: FieldValues;
  errors: FieldError[];
  running: boolean;
  ready: boolean;
  /** The settings came with a teacher's link (`?fixed=1`): folded away and read-only. */
  fixed?: boolean;
  onChange(field: ConfigField, value: string): void;
  onTrain(): void;
  onStop(): void;
  onCompare(): void;
  /** Compare the chosen chapter 6 network with another network (comparisonChoices' id). */
  onCompareWith(choice: string): void;
}

/** One setting: its label, its input (text, choice or checkbox) and its hint, or its error in its place. */
function Field({
  spec,
  value,
  error,
  formId,
  onChange,
}: {
  spec: Setting;
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
  const { input } = spec;
  if (input.kind === 'checkbox') {
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
      {input.kind === 'select' ? (
        <select
          id={inputId}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          onChange={(event) => onChange(spec.field, event.target.value)}
        >
          {/* A value from the URL that is not a choice is shown as it is, not as the first valid one. */}
          {!input.options.some(([choice]) => choice === value) && (
            <option value={value} disabled>
              “{value}” (not a choice)
            </option>
          )}
          {input.options.map(([choice, label]) => (
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
          inputMode={input.inputMode}
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

/** A field's hint with a chapter 6 network chosen: what the book trains that network with, where chapter 1's hint says its own. */
function presetHint(spec: Setting, preset: Network3Preset): Setting {
  if (spec.field === 'eta') return { ...spec, hint: `the book uses ${preset.eta} here` };
  if (spec.field === 'lambda') return { ...spec, hint: `L2; the book uses ${preset.lambda} here` };
  if (spec.field === 'epochs') return { ...spec, hint: `the book trains ${preset.epochs}` };
  return spec;
}

/** The chosen chapter 6 network in words: its layers, the book's figure and where the chapter trains it. */
function PresetNote({ id }: { id: string }) {
  const preset = network3Preset(id);
  if (!preset) return null;
  return (
    <p className="small preset-note">
      {describeLayers(preset.layers)}. The book: {preset.bookPercent.toFixed(2)}% after {preset.epochs} epochs
      {preset.expand ? ' on the expanded data' : ''}; an epoch takes about 20 seconds on a laptop’s core, longer on a phone.{' '}
      <a href={preset.url} target="_blank" rel="noreferrer">
        Chapter 6
      </a>
    </p>
  );
}

/** A chapter 6 network against another of any kind: both with these epochs, examples and seeds, each with the book's own settings. */
function CompareWith({
  current,
  disabled,
  onCompare,
  formId,
}: {
  current: string;
  disabled: boolean;
  onCompare(choice: string): void;
  formId: string;
}) {
  const choices = comparisonChoices(current);
  const [chosen, setChosen] = useState('chapter3');
  const choice = choices.some(([c]) => c === chosen) ? chosen : choices[0][0];
  return (
    <div className="compare-with">
      <label htmlFor={`${formId}-compare-with`}>Compare with</label>
      <select id={`${formId}-compare-with`} value={choice} onChange={(event) => setChosen(event.target.value)}>
        {choices.map(([c, label]) => (
          <option key={c} value={c}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" disabled={disabled} onClick={() => onCompare(choice)}>
        Compare the two
      </button>
      <small className="hint">
        Both train for these epochs, on these examples, with Seeds per network seeds each; each with the book’s own η, λ and mini-batch.
        (Compare 30 vs 100 hidden is chapter 1’s.)
      </small>
    </div>
  );
}

/** With a teacher's link (`fixed`), the fields folded away and read-only: the class trains exactly that run. */
function FixedBy({ link, children }: { link: boolean; children: ReactNode }) {
  if (!link) return <>{children}</>;
  return (
    <details className="fixed-settings">
      <summary>The settings come with this link: open to see them</summary>
      <fieldset disabled className="fixed-fields">
        <legend className="visually-hidden">The settings of this link</legend>
        {children}
      </fieldset>
    </details>
  );
}

export const Controls = memo(function Controls({
  values,
  errors,
  running,
  ready,
  fixed = false,
  onChange,
  onTrain,
  onStop,
  onCompare,
  onCompareWith,
}: ControlsProps) {
  const id = useId();
  const invalid = errors.length > 0;
  const convolutional = values.kind === 'convolutional';
  // Open at first when a link sets any of chapter 3's fields; from then on the person opens and closes it
  // (editing a field back to chapter 1's value must not close it under their hands).
  const [chapter3Open, setChapter3Open] = useState(() => CHAPTER_3.some((s) => values[s.field] !== CHAPTER_1_VALUES[s.field]));
  const preset = convolutional ? network3Preset(values.chapter6) : undefined;
  const render = (spec: Setting) => (
    <Field
      key={spec.field}
      spec={preset ? presetHint(spec, preset) : spec}
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
      <FixedBy link={fixed}>
        <div className="fields network-kind">
          {render(KIND)}
          {convolutional && render(CHAPTER_6)}
        </div>
        {convolutional && <PresetNote id={values.chapter6} />}
        <div className="fields">{CHAPTER_1.filter((s) => !convolutional || s.field !== 'hidden').map(render)}</div>
        {convolutional ? (
          <div className="fields">{CHAPTER_3.filter((s) => CHAPTER_6_EXTRAS.includes(s.field)).map(render)}</div>
        ) : (
          <details className="chapter3" open={chapter3Open} onToggle={(event) => setChapter3Open(event.currentTarget.open)}>
            <summary>Chapter 3: cost, regularisation, initialisation</summary>
            <div className="fields">{CHAPTER_3.map(render)}</div>
          </details>
        )}
      </FixedBy>
      <div className="buttons">
        <button type="submit" className="primary" disabled={invalid || !ready}>
          Train
        </button>
        <button
          type="button"
          onClick={onCompare}
          disabled={invalid || !ready || convolutional}
          title={
            convolutional
              ? 'Compare trains chapter 1’s multilayer networks: choose them as the network kind'
              : 'Train 784-30-10 and 784-100-10 with these settings, each with as many seeds as Seeds per network says'
          }
        >
          Compare 30 vs 100 hidden
        </button>
        <button type="button" onClick={onStop} disabled={!running}>
          Stop
        </button>
      </div>
      {convolutional && <CompareWith current={values.chapter6} disabled={invalid || !ready} onCompare={onCompareWith} formId={id} />}
    </form>
  );
});
