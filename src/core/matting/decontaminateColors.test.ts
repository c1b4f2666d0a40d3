import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { decontaminateColors } from './decontaminateColors';

const grayRow = (values: number[]): FloatImage => ({ width: values.length, height: 1, channels: 3, data: Float32Array.from(values.flatMap((value) => [value, value, value])) });
const matte = (values: number[]): FloatImage => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });
const reds = (image: FloatImage) => [...image.data.filter((_, index) => index % 3 === 0)].map((value) => Number(value.toFixed(4)));

describe('decontaminateColors', () => {
  it('moves edge colours towards the solid colour nearby, by amount · (1 − α)', () => {
    // Solid dark hair (0.2) at α 1, then a whitish fringe (0.9) from the old light background.
    const foreground = grayRow([0.2, 0.2, 0.9, 0.9, 0.9]);
    const alpha = matte([1, 1, 0.5, 0.25, 0]);
    // radius 2: the fringe pixels at 2 and 3 see solid pixels only at 0 and 1 (colour 0.2); pixel 4 (α 0) is kept.
    expect(reds(decontaminateColors(foreground, alpha, { radiusPx: 2 }))).toEqual([0.2, 0.2, 0.55, 0.375, 0.9]);
    expect(reds(decontaminateColors(foreground, alpha, { radiusPx: 2, amount: 0.5 }))).toEqual([0.2, 0.2, 0.725, 0.6375, 0.9]);
  });

  it('keeps colours without a solid pixel in reach, and at amount 0', () => {
    const foreground = grayRow([0.2, 0.9, 0.9, 0.9, 0.9, 0.9]);
    const alpha = matte([1, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(reds(decontaminateColors(foreground, alpha, { radiusPx: 1 }))).toEqual([0.2, 0.55, 0.9, 0.9, 0.9, 0.9]);
    expect(reds(decontaminateColors(foreground, alpha, { amount: 0 }))).toEqual(reds(foreground));
  });

  it('writes in place and keeps colours in [0, 1] and within the range of F and the solid colours', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 16 * 3, maxLength: 16 * 3 }), (alphas, colors) => {
        const foreground: FloatImage = { width: 4, height: 4, channels: 3, data: Float32Array.from(colors) };
        const before = Float32Array.from(foreground.data);
        const result = decontaminateColors(foreground, { width: 4, height: 4, channels: 1, data: Float32Array.from(alphas) }, { radiusPx: 1, out: foreground });
        expect(result).toBe(foreground);
        const low = Math.min(...before), high = Math.max(...before);
        result.data.forEach((value) => {
          expect(value).toBeGreaterThanOrEqual(low - 1e-6);
          expect(value).toBeLessThanOrEqual(high + 1e-6);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad options', () => {
    expect(() => decontaminateColors(grayRow([0]), matte([0]), { amount: 2 })).toThrow('Expected a number in [0, 1] for options.amount but received 2');
    expect(() => decontaminateColors(grayRow([0]), matte([0]), { radiusPx: 0 })).toThrow(RangeError);
    expect(() => decontaminateColors(grayRow([0]), matte([0, 1]))).toThrow(RangeError);
  });
});
