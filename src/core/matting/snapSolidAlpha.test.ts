import { describe, expect, it } from 'vitest';
import { composeRgba } from './premultiply';
import { snapSolidAlpha } from './snapSolidAlpha';

const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1 as const, data: Float32Array.from(values) });
const alphaBytes = (values: Float32Array) => {
  const rgba = composeRgba({ width: values.length, height: 1, channels: 3, data: new Float32Array(values.length * 3) }, { width: values.length, height: 1, channels: 1, data: values });
  return Array.from(rgba.data.filter((_, index) => index % 4 === 3));
};

describe('snapSolidAlpha', () => {
  // Values on both sides of the two rounding edges, as float32 rounds them, plus the solid values and the range ends.
  const lowEdge = 0.5 / 255;
  const highEdge = 254.5 / 255;
  const nudged = (value: number) => [value * (1 - 2 ** -21), Math.fround(value), value * (1 + 2 ** -21)];
  const values = [-0.1, 0, 1e-9, 1e-4, ...nudged(lowEdge), 0.01, 0.5, 0.99, ...nudged(highEdge), 0.999, 1, 1.2];

  it('writes the same alpha bytes as before, and turns those bytes 0 and 255 into exact 0 and 1', () => {
    const before = matte(values);
    const bytes = alphaBytes(before.data.slice());
    const snapped = snapSolidAlpha(before);
    expect(snapped).toBe(before);
    expect(alphaBytes(snapped.data)).toEqual(bytes);
    snapped.data.forEach((value, index) => {
      if (bytes[index] === 0) expect(value).toBe(0);
      else if (bytes[index] === 255) expect(value).toBe(1);
      else expect(value).toBe(Math.fround(values[index]!));
    });
    // The rounding edges are really crossed: both byte values occur on each side of each.
    expect(bytes.slice(4, 7)).toContain(0);
    expect(bytes.slice(4, 7)).toContain(1);
    expect(bytes.slice(10, 13)).toContain(254);
    expect(bytes.slice(10, 13)).toContain(255);
  });

  it('rejects a colour image', () => {
    expect(() => snapSolidAlpha({ width: 1, height: 1, channels: 3, data: new Float32Array(3) })).toThrow('Expected 1 channel(s) for alpha');
  });
});
