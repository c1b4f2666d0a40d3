import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { closing } from './closing';

const image = (width: number, height: number, values: number[]): FloatImage => ({ width, height, channels: 1, data: Float32Array.from(values) });

describe('closing', () => {
  it('fills a hole narrower than the element and keeps the outline', () => {
    const ring = image(7, 7, [
      0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0,
      0, 0, 1, 1, 1, 0, 0,
      0, 0, 1, 0, 1, 0, 0,
      0, 0, 1, 1, 1, 0, 0,
      0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0,
    ]);
    const expected = Array.from(ring.data);
    expected[24] = 1;
    expect(Array.from(closing(ring, 1).data)).toEqual(expected);
  });

  it('never darkens and is idempotent (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom('square' as const, 'disk' as const),
      fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 81, maxLength: 81 }), (width, height, radiusPx, shape, levels) => {
        const source = image(width, height, levels.slice(0, width * height).map((level) => level / 8));
        const once = closing(source, { radiusPx, shape });
        once.data.forEach((value, index) => expect(value).toBeGreaterThanOrEqual(source.data[index]!));
        expect(Array.from(closing(once, { radiusPx, shape }).data)).toEqual(Array.from(once.data));
      }), { numRuns: 200 });
  });
});
