/**
 * The page's "My digits": restored from this browser when the page opens, each change kept at once. Nothing
 * is called kept before its write has ended: a file's digits show "Keeping… n of N" until then, and leaving
 * the page meanwhile asks first. If the browser keeps nothing (a private window, storage full), the digits
 * still work on this page and a message says why they will not be kept.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, storageReason } from '../../../nn/format';
import {
  forgetMyDigit,
  keepMyDigits,
  MY_DIGITS_FILE_LIMIT,
  MY_DIGITS_LIMIT,
  myDigitsFromJson,
  newDigit,
  restoreMyDigits,
  type MyDigit,
} from './my-digits';
import { useAskBeforeLeaving } from '../../app/ask-before-leaving';

export interface MyDigits {
  digits: MyDigit[];
  /** Why the last change could not be kept, or what could not be restored; null when all is well. */
  problem: string | null;
  /** Digits being written now (a file's, as they go), or null when every digit shown is kept. */
  keeping: { kept: number; total: number } | null;
  /** Add what the pad saw with `label`; resolves to true once it is kept (false: it could not be added or kept). */
  add(label: number, image: ArrayLike<number>): Promise<boolean>;
  remove(id: string): void;
  /** Add the digits of a downloaded file; resolves to how many were added once they are kept. */
  load(file: Blob & { name?: string }): Promise<number>;
}

const count = (n: number) => n.toLocaleString('en-US');
const FULL = `My digits holds at most ${count(MY_DIGITS_LIMIT)} digits: remove some (or download them, to keep them as a file) to add more.`;

export function useMyDigits(): MyDigits {
  const [digits, setDigits] = useState<MyDigit[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [keeping, setKeeping] = useState<{ kept: number; total: number } | null>(null);
  /** What the set will hold once the additions under way are in (state lags a render behind). */
  const size = useRef(0);
  /** Writes not yet ended: the page asks before it is left while there are any. */
  const [pending, setPending] = useState(0);

  useEffect(() => {
    let live = true;
    restoreMyDigits().then(
      (restored) => {
        if (!live) return;
        setDigits((now) => {
          const all = [...restored.digits, ...now.filter((d) => !restored.digits.some((k) => k.id === d.id))];
          size.current = all.length;
          return all;
        });
        if (restored.problem) setProblem(restored.problem);
      },
      (error) =>
        live && setProblem(`Your digits cannot be kept in this browser (${storageReason(error)}); they last until you close the page.`),
    );
    return () => {
      live = false;
    };
  }, []);

  useAskBeforeLeaving(pending > 0);

  /** Keep `added`, showing how far the writes are when there are many; resolves to whether all were kept. */
  const keep = useCallback(async (added: MyDigit[]) => {
    setPending((n) => n + 1);
    if (added.length > 1) setKeeping({ kept: 0, total: added.length });
    try {
      await keepMyDigits(added, (kept) => added.length > 1 && setKeeping({ kept, total: added.length }));
      setProblem(null);
      return true;
    } catch (error) {
      setProblem(`Your digits could not be kept in this browser (${storageReason(error)}); they stay on this page until you close it.`);
      return false;
    } finally {
      setKeeping(null);
      setPending((n) => n - 1);
    }
  }, []);

  const add = useCallback(
    (label: number, image: ArrayLike<number>) => {
      if (size.current >= MY_DIGITS_LIMIT) {
        setProblem(FULL);
        return Promise.resolve(false);
      }
      const digit = newDigit(label, image);
      size.current += 1;
      setDigits((now) => [...now, digit]);
      return keep([digit]);
    },
    [keep],
  );

  const remove = useCallback((id: string) => {
    setDigits((now) => {
      const left = now.filter((d) => d.id !== id);
      size.current -= now.length - left.length;
      return left;
    });
    forgetMyDigit(id).catch(() => {
      // Not kept in the first place: nothing to forget.
    });
  }, []);

  const load = useCallback(
    async (file: Blob & { name?: string }) => {
      const refuse = (why: string, cause?: unknown) =>
        new Error(`“${file.name ?? 'The file'}” could not be loaded: ${why}. Choose a file saved with Download my digits.`, { cause });
      // Refused by its size before it is read: a file of the most digits the set holds is about 5.4 MB.
      if (file.size > MY_DIGITS_FILE_LIMIT)
        throw refuse(
          `it is ${(file.size / 1024 / 1024).toFixed(1)} MB, more than a file of ${count(MY_DIGITS_LIMIT)} digits (about 5.4 MB)`,
        );
      let added: MyDigit[];
      try {
        added = myDigitsFromJson(await file.text());
      } catch (error) {
        throw refuse(errorMessage(error), error);
      }
      if (size.current + added.length > MY_DIGITS_LIMIT)
        throw new Error(
          `“${file.name ?? 'The file'}” could not be loaded: its ${count(added.length)} digits and the ${count(size.current)} you have make more than the ${count(MY_DIGITS_LIMIT)} My digits holds. Remove some first.`,
        );
      size.current += added.length;
      setDigits((now) => [...now, ...added]);
      if (!(await keep(added)))
        throw new Error(
          `The ${count(added.length)} digits of “${file.name ?? 'the file'}” are on this page, but could not be kept in this browser.`,
        );
      return added.length;
    },
    [keep],
  );

  return { digits, problem, keeping, add, remove, load };
}
