// @vitest-environment happy-dom
import { act, createElement, useEffect, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useWorkerQuery, type WorkerAnswer } from './use-worker-query';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A worker whose answers the test releases one by one, in any order. */
function fakeWorker() {
  const pending = new Map<string, { resolve(v: string): void; reject(e: Error): void }>();
  const api = {
    ask: (question: string) => new Promise<string>((resolve, reject) => pending.set(question, { resolve, reject })),
  };
  return { api, pending };
}

let root: Root;
let seen: WorkerAnswer<string>[];
let answered: string[];
let setKey: (key: string | null) => void;
const exposeSetter = (setter: (key: string | null) => void) => {
  setKey = setter;
};

function Probe({ api, first }: { api: ReturnType<typeof fakeWorker>['api'] | null; first: string | null }) {
  const [key, changeKey] = useState(first);
  useEffect(() => exposeSetter(changeKey), []);
  seen.push(
    useWorkerQuery(
      api,
      key,
      (worker) => worker.ask(key!),
      (value) => answered.push(value),
    ),
  );
  return null;
}

beforeEach(() => {
  seen = [];
  answered = [];
  root = createRoot(document.createElement('div'));
});
afterEach(() => act(() => root.unmount()));

describe('useWorkerQuery', () => {
  it('shows the answer to the latest question and drops one that arrives after a newer question', async () => {
    const { api, pending } = fakeWorker();
    await act(async () => root.render(createElement(Probe, { api, first: 'digit 1' })));
    await act(async () => setKey('digit 2'));
    expect([...pending.keys()]).toEqual(['digit 1', 'digit 2']);
    await act(async () => pending.get('digit 2')!.resolve('a two'));
    await act(async () => pending.get('digit 1')!.resolve('a one, too late'));
    expect(seen.at(-1)).toEqual({ value: 'a two', key: 'digit 2', error: null });
    expect(answered).toEqual(['a two']);
  });

  it('turns a failure into an error, keeps the last answer, and clears the error with the next answer', async () => {
    const { api, pending } = fakeWorker();
    await act(async () => root.render(createElement(Probe, { api, first: 'a' })));
    await act(async () => pending.get('a')!.resolve('first'));
    await act(async () => setKey('b'));
    await act(async () => pending.get('b')!.reject(new Error('the worker could not read it')));
    expect(seen.at(-1)).toEqual({ value: 'first', key: 'a', error: 'the worker could not read it' });
    await act(async () => setKey('c'));
    await act(async () => pending.get('c')!.resolve('third'));
    expect(seen.at(-1)).toEqual({ value: 'third', key: 'c', error: null });
  });

  it('asks nothing while the worker or the key is missing', async () => {
    const { api, pending } = fakeWorker();
    await act(async () => root.render(createElement(Probe, { api: null, first: 'a' })));
    await act(async () => root.render(createElement(Probe, { key: 'remounted', api, first: null })));
    expect(pending.size).toBe(0);
    expect(seen.at(-1)).toEqual({ value: null, key: null, error: null });
  });
});
