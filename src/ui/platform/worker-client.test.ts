import { afterEach, describe, expect, it, vi } from 'vitest';
import { withinTime } from './worker-client';

describe('withinTime', () => {
  afterEach(() => vi.useRealTimers());

  it('passes on what settles in time, and rejects with the message what does not', async () => {
    vi.useFakeTimers();
    await expect(withinTime(Promise.resolve(3), 1000, 'late')).resolves.toBe(3);
    await expect(withinTime(Promise.reject(new Error('broken')), 1000, 'late')).rejects.toThrow('broken');
    const never = withinTime(new Promise(() => {}), 1000, 'its worker did not start within 1 s');
    const seen = expect(never).rejects.toThrow('its worker did not start within 1 s');
    await vi.advanceTimersByTimeAsync(999);
    await vi.advanceTimersByTimeAsync(1);
    await seen;
    // A settled race leaves no timer behind.
    expect(vi.getTimerCount()).toBe(0);
  });
});
