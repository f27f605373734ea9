import { describe, expect, it } from 'vitest';
import { viewModeOf, withViewMode } from './view-mode';

describe('the view mode in the address', () => {
  it('reads and writes present and fixed beside the settings, leaving them as they are', () => {
    expect(viewModeOf('?hidden=30&present=1')).toEqual({ present: true, fixed: false });
    const fixed = withViewMode('http://x/?hidden=30&seed=7', { fixed: true });
    expect(fixed).toBe('http://x/?hidden=30&seed=7&fixed=1');
    expect(viewModeOf(new URL(fixed).search)).toEqual({ present: false, fixed: true });
    expect(withViewMode(fixed, { fixed: false, present: true })).toBe('http://x/?hidden=30&seed=7&present=1');
  });
});
