/**
 * The page's "My digits": restored from this browser when the page opens, each change kept at once. If
 * the browser keeps nothing (a private window, storage full), the digits still work on this page and a
 * message says they will not be kept.
 */
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../nn/format';
import { forgetMyDigit, keepMyDigit, myDigitsFromJson, newDigit, restoreMyDigits, type MyDigit } from './my-digits';

export interface MyDigits {
  digits: MyDigit[];
  /** Why the last change could not be kept or a file could not be read; null when all is well. */
  problem: string | null;
  add(label: number, image: ArrayLike<number>): void;
  remove(id: string): void;
  /** Add the digits of a downloaded file; resolves to how many were added. */
  load(file: Blob & { name?: string }): Promise<number>;
}

export function useMyDigits(): MyDigits {
  const [digits, setDigits] = useState<MyDigit[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    restoreMyDigits().then(
      (kept) => live && setDigits((now) => [...kept, ...now.filter((d) => !kept.some((k) => k.id === d.id))]),
      (error) =>
        live && setProblem(`Your digits cannot be kept in this browser (${errorMessage(error)}); they last until you close the page.`),
    );
    return () => {
      live = false;
    };
  }, []);

  const keep = useCallback((added: MyDigit[]) => {
    Promise.all(added.map(keepMyDigit)).then(
      () => setProblem(null),
      (error) =>
        setProblem(`Your digits could not be kept in this browser (${errorMessage(error)}); they stay on this page until you close it.`),
    );
  }, []);

  const add = useCallback(
    (label: number, image: ArrayLike<number>) => {
      const digit = newDigit(label, image);
      setDigits((now) => [...now, digit]);
      keep([digit]);
    },
    [keep],
  );

  const remove = useCallback((id: string) => {
    setDigits((now) => now.filter((d) => d.id !== id));
    forgetMyDigit(id).catch(() => {
      // Not kept in the first place: nothing to forget.
    });
  }, []);

  const load = useCallback(
    async (file: Blob & { name?: string }) => {
      let added: MyDigit[];
      try {
        added = myDigitsFromJson(await file.text());
      } catch (error) {
        throw new Error(
          `“${file.name ?? 'The file'}” could not be loaded: ${errorMessage(error)}. Choose a file saved with Download my digits.`,
          {
            cause: error,
          },
        );
      }
      setDigits((now) => [...now, ...added]);
      keep(added);
      return added.length;
    },
    [keep],
  );

  return { digits, problem, add, remove, load };
}
