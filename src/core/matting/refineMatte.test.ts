import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlphaMatte } from '../imageTypes';
import { refineMatte } from './refineMatte';

const matte = (width: number, height: number, values: ArrayLike<number>): AlphaMatte => ({ width, height, channels: 1, data: Float32Array.from(values) });

/** A `size`² image with a solid square of side `side` in the middle. */
function square(size: number, side: number): AlphaMatte {
  const start = (size - side) >> 1;
  return matte(size, size, Array.from({ length: size * size }, (_, index) => {
    const x = index % size, y = Math.floor(index / size);
    return x >= start && x < start + side && y >= start && y < start + side ? 1 : 0;
  }));
}

const total = (image: AlphaMatte) => image.data.reduce((sum, value) => sum + value, 0);

describe('refineMatte', () => {
  it('is the identity when every option is 0, in place or not', () => {
    const source = matte(3, 2, [0, 0.2, 0.5, 0.7, 1, 0.33]);
    const copy = Array.from(source.data);
    expect(Array.from(refineMatte(source).data)).toEqual(copy);
    expect(Array.from(refineMatte(source, { featherPx: 0, shiftEdgePx: 0, contrast: 0, smoothPx: 0 }, source).data)).toEqual(copy);
  });

  it('grows and shrinks a square by the shift, blending fractional shifts', () => {
    const base = square(21, 7);
    expect(total(refineMatte(base, { shiftEdgePx: 2 }))).toBeGreaterThan(total(base) + 4 * 7 * 2 - 1);
    expect(total(refineMatte(base, { shiftEdgePx: -2 }))).toBe(9);
    const half = total(refineMatte(base, { shiftEdgePx: 1.5 }));
    expect(half).toBeCloseTo((total(refineMatte(base, { shiftEdgePx: 1 })) + total(refineMatte(base, { shiftEdgePx: 2 }))) / 2, 3);
  });

  it('contracts by distance: a stray low pixel inside does not become a round hole', () => {
    const base = square(21, 11);
    base.data[10 * 21 + 10] = 0.2; // a speck in the middle
    const shrunk = refineMatte(base, { shiftEdgePx: -2 });
    // 11 → 7 wide; the speck keeps its own value and nothing around it is lowered.
    expect(total(shrunk)).toBeCloseTo(7 * 7 - 1 + 0.2, 4);
    expect(shrunk.data[10 * 21 + 11]).toBe(1);
    expect(shrunk.data[10 * 21 + 10]).toBeCloseTo(0.2, 6);
  });

  it('contracts a soft edge continuously: the fringe fades first, then whole rings', () => {
    // One row of a horizontal ramp edge: background, fringe 0.3, inside 0.8, then solid. The fringe and the first
    // inside ring fade together, deeper rings follow one per pixel of shift.
    const row = [0, 0, 0.3, 0.8, 1, 1, 1, 1, 1, 1];
    const edge = matte(10, 1, row);
    expect(Array.from(refineMatte(edge, { shiftEdgePx: -0.5 }).data).map((value) => Number(value.toFixed(3)))).toEqual([0, 0, 0.15, 0.4, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(refineMatte(edge, { shiftEdgePx: -1.5 }).data).map((value) => Number(value.toFixed(3)))).toEqual([0, 0, 0, 0, 0.5, 1, 1, 1, 1, 1]);
    const tiny = refineMatte(edge, { shiftEdgePx: -1e-6 });
    tiny.data.forEach((value, index) => expect(value).toBeCloseTo(row[index]!, 5));
  });

  it('steepens around 0.5 and thresholds at contrast 100', () => {
    const ramp = matte(5, 1, [0.1, 0.4, 0.5, 0.6, 0.9]);
    refineMatte(ramp, { contrast: 50 }).data.forEach((value, index) => expect(value).toBeCloseTo([0, 0.3, 0.5, 0.7, 1][index]!, 6));
    expect(Array.from(refineMatte(ramp, { contrast: 100 }).data)).toEqual([0, 0, 0.5, 1, 1]);
  });

  it('feathers with a Gaussian of the given standard deviation, after contrast', () => {
    const dot = matte(41, 41, Array.from({ length: 41 * 41 }, (_, index) => (index === 20 * 41 + 20 ? 1 : 0)));
    const blurred = refineMatte(dot, { featherPx: 3 });
    let variance = 0;
    blurred.data.forEach((value, index) => { variance += value * ((index % 41) - 20) ** 2; });
    expect(Math.sqrt(variance / total(blurred))).toBeGreaterThan(2.7);
    expect(Math.sqrt(variance / total(blurred))).toBeLessThan(3.3);
    const soft = refineMatte(square(21, 7), { contrast: 100, featherPx: 2 });
    expect(soft.data.some((value) => value > 0.05 && value < 0.95)).toBe(true);
  });

  it('smooths away a one-pixel notch but keeps a solid square solid', () => {
    const notched = square(21, 9);
    notched.data[6 * 21 + 10] = 0;
    const smoothed = refineMatte(notched, { smoothPx: 2 });
    // The notch sat on the top edge (row 6): it ends close to its neighbours on that edge instead of 1 below them.
    expect(Math.abs(smoothed.data[6 * 21 + 10]! - smoothed.data[6 * 21 + 8]!)).toBeLessThan(0.15);
    expect(smoothed.data[10 * 21 + 10]).toBe(1);
    expect(smoothed.data[0]).toBe(0);
  });

  it('keeps alpha in [0, 1] for any settings (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 48, maxLength: 48 }),
      fc.double({ min: 0, max: 4, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }),
      (values, smoothPx, shiftEdgePx, contrast, featherPx) => {
        const result = refineMatte(matte(8, 6, values), { smoothPx, shiftEdgePx, contrast, featherPx });
        expect(result.data.every((value) => value >= 0 && value <= 1)).toBe(true);
      }), { numRuns: 100, examples: [[Object.assign(new Array<number>(48).fill(0), { 0: 0.9999999701976776, 17: 1.6014967977250834e-14 }), 0, 0, 0, 0.577350269189626]] });
  });

  it('rejects out-of-range settings', () => {
    const source = matte(2, 1, [0, 1]);
    expect(() => refineMatte(source, { contrast: 101 })).toThrow('Expected a number in [0, 100] for contrast but received 101');
    expect(() => refineMatte(source, { featherPx: -1 })).toThrow(RangeError);
    expect(() => refineMatte(source, { shiftEdgePx: Number.NaN })).toThrow(RangeError);
  });
});
