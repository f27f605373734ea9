/**
 * "My digits": the digits a person labelled on the pad (`It's a 7`), as the network saw them (28 × 28
 * bytes, byte / 256 the input), kept in this browser's IndexedDB and in a small JSON file they can download
 * and load again. The file format:
 *
 *     { "format": "mnist-live/my-digits", "version": 1,
 *       "digits": [ { "label": 7, "pixels": "<784 bytes, row-major, in base64>" }, … ] }
 */
import { createStore, del, delMany, entries, setMany, type UseStore } from 'idb-keyval';
import { check, MyDigitSchema } from '../../runs/keeping/kept-schema';
import { INPUTS } from '../../../nn/mnist-shape';
import type { PersonalDigits } from '../../../worker/protocol';

export interface MyDigit {
  /** Its key in storage (a random UUID). */
  id: string;
  label: number;
  /** 784 bytes, row-major 28 × 28, as the pad's preprocessing made them. */
  pixels: Uint8Array;
  createdAt: number;
}

export const MY_DIGITS_FORMAT = 'mnist-live/my-digits';
/** More than anyone labels by hand: the most the set holds, from the pad and files together. */
export const MY_DIGITS_LIMIT = 5000;
/** A file of MY_DIGITS_LIMIT digits is about 5.4 MB; a bigger one is not ours, and is refused before it is read. */
export const MY_DIGITS_FILE_LIMIT = 8 * 1024 * 1024;

let store: UseStore | null = null;
function digitStore(): UseStore {
  // A database of its own: idb-keyval opens one store per database.
  store ??= createStore('mnist-live-my-digits', 'digits');
  return store;
}

/** A digit as a reading's image (784 values, byte / 256) gives it. */
export function newDigit(label: number, image: ArrayLike<number>): MyDigit {
  if (image.length !== INPUTS) throw new RangeError(`a digit has ${INPUTS} pixels, not ${image.length}`);
  const pixels = Uint8Array.from(image, (v) => Math.min(255, Math.max(0, Math.round(v * 256))));
  return { id: crypto.randomUUID(), label, pixels, createdAt: Date.now() };
}

/** The digits as the engine takes them (nn/teach.ts). */
export function personalDigitsOf(digits: readonly MyDigit[]): PersonalDigits {
  const pixels = new Uint8Array(digits.length * INPUTS);
  digits.forEach((d, i) => pixels.set(d.pixels, i * INPUTS));
  return { pixels, labels: Uint8Array.from(digits, (d) => d.label) };
}

/** The kept digits, oldest first, and what could not be restored (set aside, in words). */
export async function restoreMyDigits(): Promise<{ digits: MyDigit[]; problem: string | null }> {
  const all = await entries(digitStore());
  const digits: MyDigit[] = [];
  const damaged: [IDBValidKey, unknown][] = [];
  let reason = '';
  for (const [key, value] of all) {
    const checked = check(MyDigitSchema, value);
    // A digit is kept under its own id: one under another's (a copy) would come back after a removal.
    if (checked.ok && checked.value.id === key) digits.push(checked.value);
    else {
      damaged.push([key, value]);
      reason ||= checked.ok ? 'it is kept under a key that is not its own' : checked.reason;
    }
  }
  if (damaged.length) await setAside(damaged);
  const problem = damaged.length
    ? `${damaged.length} of your kept digits could not be restored (the first: ${reason}); they were set aside, apart from the others.`
    : null;
  return { digits: digits.sort((a, b) => a.createdAt - b.createdAt), problem };
}

/** How many digits are written in one transaction: a few hundred kilobytes, so progress shows as a big file is kept. */
const WRITE_CHUNK = 500;

/** Keep `digits`, a chunk at a time; `onKept` hears how many are written so far. Rejects as soon as a write fails. */
export async function keepMyDigits(digits: readonly MyDigit[], onKept: (kept: number) => void = () => {}): Promise<void> {
  for (let i = 0; i < digits.length; i += WRITE_CHUNK) {
    const chunk = digits.slice(i, i + WRITE_CHUNK);
    await setMany(
      chunk.map((d) => [d.id, d]),
      digitStore(),
    );
    onKept(i + chunk.length);
  }
}

export async function forgetMyDigit(id: string): Promise<void> {
  await del(id, digitStore());
}

const asideStore = () => createStore('mnist-live-my-digits-set-aside', 'digits');

async function setAside(all: [IDBValidKey, unknown][]): Promise<void> {
  try {
    await setMany(
      all.map(([key, value]) => [`${Date.now()}:${String(key)}`, value]),
      asideStore(),
    );
  } catch {
    // Not even a copy can be written: they leave the set all the same, so they cannot fail again.
  }
  await delMany(
    all.map(([key]) => key),
    digitStore(),
  );
}

/** Set every kept digit aside (the last resort when My digits cannot be shown). */
export async function setAsideAllDigits(): Promise<void> {
  try {
    await setAside(await entries(digitStore()));
  } catch {
    // Storage that cannot be read has nothing to set aside.
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The file a person downloads. */
export function myDigitsToJson(digits: readonly MyDigit[]): string {
  return JSON.stringify({
    format: MY_DIGITS_FORMAT,
    version: 1,
    digits: digits.map((d) => ({ label: d.label, pixels: toBase64(d.pixels) })),
  });
}

/** The digits of a downloaded file, as new digits; a clear error for anything else. */
export function myDigitsFromJson(text: string): MyDigit[] {
  let file: { format?: unknown; version?: unknown; digits?: unknown };
  try {
    file = JSON.parse(text) as typeof file;
  } catch {
    throw new Error('it is not JSON');
  }
  if (file?.format !== MY_DIGITS_FORMAT) throw new Error(`it is not a file of “My digits” (its format is not ${MY_DIGITS_FORMAT})`);
  if (file.version !== 1) throw new Error(`it is version ${String(file.version)}; this page reads version 1`);
  if (!Array.isArray(file.digits)) throw new Error('it has no list of digits');
  if (file.digits.length > MY_DIGITS_LIMIT) throw new Error(`it has ${file.digits.length} digits; at most ${MY_DIGITS_LIMIT} are read`);
  const now = Date.now();
  return file.digits.map((entry: unknown, i: number) => {
    const { label, pixels } = (entry ?? {}) as { label?: unknown; pixels?: unknown };
    if (!Number.isInteger(label) || (label as number) < 0 || (label as number) > 9) throw new Error(`digit ${i + 1} has no label 0–9`);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(String(pixels));
    } catch {
      throw new Error(`digit ${i + 1}'s pixels are not base64`);
    }
    if (bytes.length !== INPUTS) throw new Error(`digit ${i + 1} has ${bytes.length} pixels, not ${INPUTS}`);
    return { id: crypto.randomUUID(), label: label as number, pixels: bytes, createdAt: now + i };
  });
}
