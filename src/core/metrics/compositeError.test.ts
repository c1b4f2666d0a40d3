import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureCompositeError } from './compositeError';

const colour = (values: number[]) => ({ width: values.length / 3, height: 1, channels: 3, data: Float32Array.from(values) });
const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe('measureCompositeError', () => {
  const truthForeground = colour([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const truthAlpha = matte([1, 0.5, 0]);
  const background = colour([0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1]);

  it('is zero for a perfect estimate', () => {
    expect(measureCompositeError(truthForeground, truthAlpha, truthForeground, truthAlpha, background)).toBe(0);
  });

  it('scores colour errors in the edge band weighted by alpha', () => {
    const wrong = colour([0, 0, 0, 0.4, 1, 0, 1, 1, 1]); // red wrong where α = 1, green pixel off by 0.4 in red
    expect(measureCompositeError(wrong, truthAlpha, truthForeground, truthAlpha, background)).toBeCloseTo((0.5 * 0.4) / 3, 6);
    expect(measureCompositeError(wrong, truthAlpha, truthForeground, truthAlpha, background, { band: 'all' })).toBeCloseTo((1 + 0.2) / 9, 6);
  });

  it('is non-negative and zero where the composites agree (property)', () => {
    fc.assert(fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }), (values) => {
      const estimate = colour(values.slice(0, 9));
      const alpha = matte(values.slice(9, 12));
      expect(measureCompositeError(estimate, alpha, truthForeground, truthAlpha, background, { band: 'all' })).toBeGreaterThanOrEqual(0);
      expect(measureCompositeError(estimate, alpha, estimate, alpha, background, { band: 'all' })).toBe(0);
    }));
  });

  it('rejects an unknown band', () => {
    expect(() => measureCompositeError(truthForeground, truthAlpha, truthForeground, truthAlpha, background, { band: 'middle' as 'edge' }))
      .toThrow("Expected 'edge' or 'all' for band but received middle");
  });
});
