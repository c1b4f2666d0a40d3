import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureFlicker } from './flicker';

const plane = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe('measureFlicker', () => {
  it('averages alpha changes over pixels whose colour stayed still', () => {
    const previousGray = plane([0.5, 0.5, 0.5, 0.5]);
    const gray = plane([0.5, 0.51, 0.9, 0.5]); // the third pixel moved
    const flicker = measureFlicker(plane([0, 1, 0, 0.5]), plane([0.1, 0.8, 1, 0.5]), previousGray, gray);
    expect(flicker).toBeCloseTo((0.1 + 0.2 + 0) / 3, 6);
  });

  it('honours the threshold and the mask, and is 0 when nothing is still', () => {
    const args = [plane([0, 0]), plane([1, 0.5]), plane([0, 0]), plane([0.1, 0])] as const;
    expect(measureFlicker(...args, { stillThreshold: 0.2 })).toBeCloseTo(0.75, 6);
    expect(measureFlicker(...args, { mask: { width: 2, height: 1, channels: 1, data: Uint8Array.from([1, 0]) } })).toBe(0);
  });

  it('is zero for a steady matte and symmetric in time (property)', () => {
    fc.assert(fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }), (a, b) => {
      const gray = plane(a);
      expect(measureFlicker(plane(a), plane(a), gray, gray)).toBe(0);
      expect(measureFlicker(plane(a), plane(b), gray, plane(b))).toBeCloseTo(measureFlicker(plane(b), plane(a), plane(b), gray), 12);
    }));
  });
});
