import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumAbsoluteDifference } from './sumAbsoluteDifference';

const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe('sumAbsoluteDifference', () => {
  it('sums absolute differences on the [0, 1] scale in thousands', () => {
    expect(sumAbsoluteDifference(matte([0, 0.5, 1, 1]), matte([0.25, 0.5, 0, 1]))).toBeCloseTo(1.25 / 1000, 12);
  });

  it('counts only masked pixels', () => {
    const mask = { width: 4, height: 1, channels: 1, data: Uint8Array.from([0, 1, 1, 0]) };
    expect(sumAbsoluteDifference(matte([0, 0.5, 1, 1]), matte([1, 0.25, 0, 0]), { mask })).toBeCloseTo(1.25 / 1000, 12);
  });

  it('is symmetric, non-negative and zero only for equal mattes (property)', () => {
    fc.assert(fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }), (first, second) => {
      const a = matte(first);
      const b = matte(second.slice(0, first.length));
      expect(sumAbsoluteDifference(a, b)).toBe(sumAbsoluteDifference(b, a));
      expect(sumAbsoluteDifference(a, b) === 0).toBe(first.every((value, index) => value === b.data[index]));
    }));
  });

  it('rejects a mask of another size', () => {
    expect(() => sumAbsoluteDifference(matte([0, 1]), matte([0, 1]), { mask: matte([1]) })).toThrow(RangeError);
  });
});
