/**
 * The digit viewer's state: which set and digit, the filters (misread digits, a confusion-matrix cell),
 * and the worker questions behind them. DigitViewer.tsx draws it.
 */
import { useState } from 'react';
import type { Remote } from '../platform/worker-client';
import type { DataInfo, DataSetName, Digit, InspectingApi } from '../../worker/protocol';
import { useWorkerQuery } from './use-worker-query';

/** A confusion-matrix cell: test digits with this label read as `predicted`. */
export interface CellFocus {
  label: number;
  predicted: number;
}

export interface DigitViewerSources {
  /** Reads single digits. */
  api: Remote<InspectingApi> | null;
  /** Lists digits over the whole test set (misread ones, a confusion cell's). */
  evaluator: Remote<InspectingApi> | null;
  info: DataInfo | null;
  modelVersion: number;
  evaluationVersion: number;
  focus: CellFocus | null;
  onFocusChange(focus: CellFocus | null): void;
}

export function useDigitViewer({ api, evaluator, info, modelVersion, evaluationVersion, focus, onFocusChange }: DigitViewerSources) {
  const [chosenSet, setChosenSet] = useState<DataSetName>('test');
  const [index, setIndex] = useState(0);
  /** What is typed in the index field, until it is used (null: the field shows the digit's index). */
  const [draft, setDraft] = useState<string | null>(null);
  const [wrongOnly, setWrongOnly] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const set: DataSetName = focus ? 'test' : chosenSet;
  const count = info?.[set] ?? 0;
  const filterKey = focus ? `cell:${focus.label}:${focus.predicted}` : wrongOnly && set === 'test' ? 'wrong' : null;

  // A new list (or the same list for a newer network) starts at its first digit.
  const list = useWorkerQuery(
    evaluator,
    filterKey && `${filterKey}:${evaluationVersion}`,
    (ev) => (focus ? ev.digitsWhere(focus.label, focus.predicted) : ev.misclassified('test')),
    (indices) => {
      if (indices.length) setIndex(indices[0]);
    },
  );
  const filtered = filterKey && list.key?.startsWith(`${filterKey}:`) ? list.value : null;
  const shownIndex = count ? Math.min(index, count - 1) : 0;
  const sample = useWorkerQuery(api, count ? `${set}:${shownIndex}:${modelVersion}` : null, (reader) => reader.sample(set, shownIndex));
  const digit: Digit | null = sample.value;

  const show = (i: number) => {
    setDraft(null);
    setFieldError(null);
    setIndex(i);
  };
  const step = (delta: number) => {
    if (filtered?.length) {
      const at = filtered.indexOf(index);
      show(filtered[at < 0 ? 0 : (at + delta + filtered.length) % filtered.length]);
    } else if (count) {
      show((index + delta + count) % count);
    }
  };
  const random = () => {
    if (filtered?.length) show(filtered[Math.floor(Math.random() * filtered.length)]);
    else if (count) show(Math.floor(Math.random() * count));
  };
  const go = () => {
    const n = Number(draft ?? index);
    if (!Number.isInteger(n) || n < 0 || n >= count) {
      setFieldError(`Give a whole number from 0 to ${(count - 1).toLocaleString('en-US')} for the ${set} set.`);
      return;
    }
    show(n);
  };
  const chooseSet = (next: DataSetName) => {
    onFocusChange(null);
    setChosenSet(next);
    show(0);
  };
  const showMisreadOnly = (on: boolean) => {
    onFocusChange(null);
    setWrongOnly(on);
  };

  return {
    set,
    count,
    digit,
    /** The index field's text. */
    indexText: draft ?? String(digit?.index ?? index),
    setIndexText: setDraft,
    misreadOnly: wrongOnly && !focus,
    filtered,
    /** `3 of 120` within the list shown, when one is. */
    position: filtered ? (filtered.length ? `${filtered.indexOf(index) + 1} of ${filtered.length.toLocaleString('en-US')}` : 'none') : '',
    error: fieldError ?? sample.error ?? list.error,
    step,
    random,
    go,
    chooseSet,
    showMisreadOnly,
  };
}

export type DigitViewerState = ReturnType<typeof useDigitViewer>;
