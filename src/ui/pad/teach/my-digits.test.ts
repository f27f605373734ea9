import { describe, expect, it } from 'vitest';
import { myDigitsFromJson, myDigitsToJson, newDigit, personalDigitsOf } from './my-digits';

const image = Float32Array.from({ length: 784 }, (_, p) => (p % 29 === 0 ? 255 / 256 : p % 7 === 0 ? 100 / 256 : 0));

describe('My digits', () => {
  it('keeps what the network saw as bytes, and a downloaded file loads back the same digits', () => {
    const seven = newDigit(7, image);
    expect(seven.pixels[0]).toBe(255);
    expect(seven.pixels[7]).toBe(100);
    const one = newDigit(1, new Float32Array(784));
    const text = myDigitsToJson([seven, one]);
    expect(JSON.parse(text)).toMatchObject({ format: 'mnist-live/my-digits', version: 1 });
    const loaded = myDigitsFromJson(text);
    expect(loaded.map((d) => d.label)).toEqual([7, 1]);
    expect(loaded[0].pixels).toEqual(seven.pixels);
    expect(loaded[0].id).not.toBe(seven.id);
    const personal = personalDigitsOf(loaded);
    expect(personal.labels).toEqual(Uint8Array.of(7, 1));
    expect(personal.pixels.subarray(0, 784)).toEqual(seven.pixels);
  });

  it.each([
    ['{"digits": 3', 'it is not JSON'],
    ['{"format": "something else"}', 'it is not a file of “My digits”'],
    ['{"format": "mnist-live/my-digits", "version": 2, "digits": []}', 'it is version 2; this page reads version 1'],
    ['{"format": "mnist-live/my-digits", "version": 1, "digits": [{"label": 12, "pixels": ""}]}', 'digit 1 has no label 0–9'],
    ['{"format": "mnist-live/my-digits", "version": 1, "digits": [{"label": 3, "pixels": "AAAA"}]}', 'digit 1 has 3 pixels, not 784'],
  ])('refuses %s: %s', (text, reason) => {
    expect(() => myDigitsFromJson(text)).toThrow(reason);
  });
});
