import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { distanceTransform } from './distanceTransform';

function mask(rows: number[][]): FloatImage {
  return { width: rows[0]!.length, height: rows.length, channels: 1, data: Float32Array.from(rows.flat()) };
}

/** Brute force: distance to the nearest feature by scanning every pixel. */
function bruteForce(image: FloatImage): number[] {
  const features: Array<[number, number]> = [];
  image.data.forEach((value, index) => value > 0.5 && features.push([index % image.width, Math.floor(index / image.width)]));
  return [...image.data].map((_, index) => {
    const x = index % image.width, y = Math.floor(index / image.width);
    return Math.min(...features.map(([fx, fy]) => Math.hypot(x - fx, y - fy)));
  });
}

describe('distanceTransform', () => {
  it('gives exact Euclidean distances to the nearest feature', () => {
    const result = distanceTransform(mask([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
    ]));
    expect([...result.data].map((value) => Number(value.toFixed(4)))).toEqual([
      0, 1, 2, 2,
      1, Number(Math.SQRT2.toFixed(4)), Number(Math.SQRT2.toFixed(4)), 1,
      2, 2, 1, 0,
    ]);
  });

  it('is Infinity everywhere without features, and honours threshold and out', () => {
    expect([...distanceTransform(mask([[0, 0.2], [0.4, 0.5]])).data]).toEqual([Infinity, Infinity, Infinity, Infinity]);
    const out = mask([[9, 9]]);
    expect(distanceTransform(mask([[0.3, 0]]), { threshold: 0.25, out })).toBe(out);
    expect([...out.data]).toEqual([0, 1]);
  });

  it('matches brute force on random masks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.array(fc.boolean(), { minLength: 81, maxLength: 81 }), (width, height, bits) => {
        const image: FloatImage = { width, height, channels: 1, data: Float32Array.from(bits.slice(0, width * height), (bit) => (bit ? 1 : 0)) };
        const expected = bruteForce(image);
        distanceTransform(image).data.forEach((value, index) => {
          if (expected[index] === Infinity) expect(value).toBe(Infinity);
          else expect(value).toBeCloseTo(expected[index]!, 5);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('rejects multi-channel images', () => {
    expect(() => distanceTransform({ width: 1, height: 1, channels: 3, data: new Float32Array(3) })).toThrow(RangeError);
  });
});
