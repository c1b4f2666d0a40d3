import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { dilate } from './dilate';
import { diskHalfWidths } from './extremumFilter';

const image = (width: number, height: number, values: number[], channels = 1): FloatImage => ({ width, height, channels, data: Float32Array.from(values) });

/** Direct definition: maximum over the element's pixels that lie inside the image. */
function bruteForce(source: FloatImage, radiusPx: number, shape: 'square' | 'disk'): number[] {
  const { width, height, channels, data } = source;
  const halfWidths = diskHalfWidths(radiusPx);
  const result: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    let best = -Infinity;
    for (let dy = -radiusPx; dy <= radiusPx; dy++) {
      const reach = shape === 'square' ? radiusPx : halfWidths[dy + radiusPx]!;
      for (let dx = -reach; dx <= reach; dx++) {
        const sx = x + dx, sy = y + dy;
        if (sx >= 0 && sx < width && sy >= 0 && sy < height) best = Math.max(best, data[(sy * width + sx) * channels + c]!);
      }
    }
    result.push(best);
  }
  return result;
}

const randomImage = (width: number, height: number, channels: number, seed: number) => {
  let state = seed >>> 0;
  return image(width, height, Array.from({ length: width * height * channels }, () => Math.fround((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32)), channels);
};

describe('dilate', () => {
  it('grows a single bright pixel into a square, or a plus for a radius-1 disk', () => {
    const dot = image(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(dilate(dot, 1).data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(dilate(dot, { radiusPx: 1, shape: 'disk' }).data)).toEqual([0, 1, 0, 1, 1, 1, 0, 1, 0]);
  });

  it('uses the rows of OpenCV\'s MORPH_ELLIPSE for the disk (radius 2: half-widths 0, 2, 2, 2, 0)', () => {
    const dot = image(5, 5, Array.from({ length: 25 }, (_, index) => (index === 12 ? 1 : 0)));
    expect(Array.from(dilate(dot, { radiusPx: 2, shape: 'disk' }).data)).toEqual([
      0, 0, 1, 0, 0,
      1, 1, 1, 1, 1,
      1, 1, 1, 1, 1,
      1, 1, 1, 1, 1,
      0, 0, 1, 0, 0,
    ]);
  });

  it('ignores pixels outside the image and copies for radius 0', () => {
    expect(Array.from(dilate(image(4, 1, [0.5, 0.2, 0.1, 0.3]), 1).data)).toEqual([0.5, 0.5, 0.3, 0.3].map(Math.fround));
    expect(Array.from(dilate(image(2, 1, [0.5, 0.2]), 0).data)).toEqual([0.5, 0.2].map(Math.fround));
  });

  it('matches the direct definition for squares and disks of any radius (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 6 }),
      fc.constantFrom('square' as const, 'disk' as const), fc.integer(), (width, height, channels, radiusPx, shape, seed) => {
        const source = randomImage(width, height, channels, seed);
        expect(Array.from(dilate(source, { radiusPx, shape }).data)).toEqual(bruteForce(source, radiusPx, shape));
      }), { numRuns: 300 });
  });

  it('writes in place and rejects a fractional radius', () => {
    const source = randomImage(5, 4, 1, 3);
    const expected = bruteForce(source, 2, 'disk');
    expect(dilate(source, { radiusPx: 2, shape: 'disk' }, source)).toBe(source);
    expect(Array.from(source.data)).toEqual(expected);
    expect(() => dilate(source, 1.5)).toThrow('Expected a non-negative integer for radiusPx but received 1.5');
  });
});
