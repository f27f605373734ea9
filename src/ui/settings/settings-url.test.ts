import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../nn/config';
import { parseTrainConfig, settingTexts } from '../../nn/settings';
import { fieldValuesFromSearch, searchOf } from './settings-url';

describe('settings in the URL', () => {
  it('round-trips every field, so a link reproduces a run', () => {
    const config = {
      ...DEFAULT_CONFIG,
      hidden: [100, 30],
      eta: 0.5,
      seed: 42,
      cost: 'cross-entropy' as const,
      lambda: 5,
      init: 'scaled' as const,
      earlyStopping: 10,
      monitorTraining: true,
      expand: true,
    };
    const values = fieldValuesFromSearch(searchOf(settingTexts(config)));
    expect(parseTrainConfig(values)).toEqual({ ok: true, value: config });
  });

  it("gives the book's defaults for an empty query and keeps a bad value for the form to flag", () => {
    expect(parseTrainConfig(fieldValuesFromSearch(''))).toEqual({ ok: true, value: DEFAULT_CONFIG });
    const values = fieldValuesFromSearch('?eta=-1&unknown=3');
    expect(values.eta).toBe('-1');
    expect(parseTrainConfig(values)).toEqual({ ok: false, errors: [{ field: 'eta', message: 'η must be greater than 0' }] });
  });

  it('keeps what else the address says (the kernel to train on), replacing only the fields', () => {
    const search = searchOf({ ...settingTexts(DEFAULT_CONFIG), hidden: '100' }, '?kernel=simd&hidden=30');
    const params = new URLSearchParams(search);
    expect(params.get('kernel')).toBe('simd');
    expect(params.getAll('hidden')).toEqual(['100']);
  });
});
