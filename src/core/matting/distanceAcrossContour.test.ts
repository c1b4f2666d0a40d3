import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlphaMatte } from '../imageTypes';
import { distanceAcrossContour } from './distanceAcrossContour';

/** Brute force: every pixel against every pixel on the other side. */
function bruteForce(alpha: AlphaMatte, maxDistance: number): number[] {
  const { width, data } = alpha;
  return Array.from(data, (value, pixel) => {
    let best = Infinity;
    data.forEach((other, otherPixel) => {
      if (other >= 0.5 === value >= 0.5) return;
      best = Math.min(best, Math.hypot((otherPixel % width) - (pixel % width), Math.floor(otherPixel / width) - Math.floor(pixel / width)));
    });
    return best <= maxDistance ? best : Infinity;
  });
}

const matte = (width: number, height: number, values: number[]): AlphaMatte => ({ width, height, channels: 1, data: Float32Array.from(values) });

describe('distanceAcrossContour', () => {
  it('matches brute force for narrow bands (boundary discs) and wide ones (distance transforms)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 11 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 154, maxLength: 154 }), fc.constantFrom(0, 1, 2.5, 3.5, 40), (width, height, values, maxDistance) => {
          const alpha = matte(width, height, values.slice(0, width * height));
          const distances = distanceAcrossContour(alpha, maxDistance);
          bruteForce(alpha, maxDistance).forEach((expected, pixel) => {
            if (expected === Infinity) expect(distances.data[pixel]).toBe(Infinity);
            else expect(distances.data[pixel]).toBeCloseTo(expected, 5);
          });
        }),
      { numRuns: 200 },
    );
  });

  it('reaches exactly to the limit along a straight edge, and is infinite with no other side', () => {
    const width = 20;
    const edge = matte(width, 3, Array.from({ length: width * 3 }, (_, pixel) => ((pixel % width) < 10 ? 1 : 0)));
    const row = [...distanceAcrossContour(edge, 3.5).data.subarray(width, 2 * width)];
    expect(row).toEqual([...Array(7).fill(Infinity), 3, 2, 1, 1, 2, 3, ...Array(7).fill(Infinity)]);
    expect([...distanceAcrossContour(matte(4, 4, Array(16).fill(1)), 3).data]).toEqual(Array(16).fill(Infinity));
    expect(() => distanceAcrossContour(edge, -1)).toThrow(RangeError);
  });
});
