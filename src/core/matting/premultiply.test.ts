import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeRgba } from './premultiply';

const foreground = (values: number[]) => ({ width: values.length / 3, height: 1, channels: 3, data: Float32Array.from(values) });
const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe('composeRgba', () => {
  it('keeps straight colour by default, even where alpha is 0', () => {
    const result = composeRgba(foreground([1, 0.5, 0, 0.2, 0.4, 0.6]), matte([0.5, 0]));
    expect(Array.from(result.data)).toEqual([255, 128, 0, 128, 51, 102, 153, 0]);
    expect(result.channels).toBe(4);
  });

  it('multiplies colour by alpha when premultiplied', () => {
    const result = composeRgba(foreground([1, 0.5, 0, 0.2, 0.4, 0.6]), matte([0.5, 0]), { premultiplied: true });
    expect(Array.from(result.data)).toEqual([128, 64, 0, 128, 0, 0, 0, 0]);
  });

  it('rounds and clamps out-of-range floats (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -2, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.boolean(), ([r, g, b, a], premultiplied) => {
      const result = composeRgba(foreground([r!, g!, b!]), matte([a!]), { premultiplied });
      const alpha = Math.min(1, Math.max(0, Math.fround(a!)));
      expect(result.data[3]).toBe(Math.round(alpha * 255));
      [r!, g!, b!].forEach((value, index) => {
        const expected = Math.min(255, Math.max(0, Math.floor(Math.fround(value) * (premultiplied ? alpha : 1) * 255 + 0.5)));
        expect(result.data[index]).toBe(expected);
      });
    }));
  });

  it('rejects a matte of another size', () => {
    expect(() => composeRgba(foreground([0, 0, 0]), matte([0, 1]))).toThrow(RangeError);
  });
});
