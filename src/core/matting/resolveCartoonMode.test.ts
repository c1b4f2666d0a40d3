import { describe, expect, it } from 'vitest';
import { resolveCartoonMode, type CartoonMode } from './resolveCartoonMode';

describe('resolveCartoonMode', () => {
  it('follows the detector in auto mode and overrides it otherwise', () => {
    expect(resolveCartoonMode('auto', { isCartoon: true })).toBe(true);
    expect(resolveCartoonMode('auto', { isCartoon: false })).toBe(false);
    expect(resolveCartoonMode('on', { isCartoon: false })).toBe(true);
    expect(resolveCartoonMode('off', { isCartoon: true })).toBe(false);
    expect(resolveCartoonMode('on')).toBe(true);
  });

  it('rejects auto without a detection and unknown modes', () => {
    expect(() => resolveCartoonMode('auto')).toThrow('Expected a detection result in auto mode for detection but received undefined');
    expect(() => resolveCartoonMode('maybe' as CartoonMode, { isCartoon: true })).toThrow(
      'Expected one of auto, on, off for mode but received maybe',
    );
  });
});
