import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { dilate } from './dilate';
import { erode } from './erode';

const image = (width: number, height: number, values: number[]): FloatImage => ({ width, height, channels: 1, data: Float32Array.from(values) });

describe('erode', () => {
  it('shrinks bright areas and opens a one-pixel gap wider', () => {
    expect(Array.from(erode(image(5, 1, [1, 1, 0, 1, 1]), 1).data)).toEqual([1, 0, 0, 0, 1]);
  });

  it('ignores pixels outside the image, so the frame edge does not erode', () => {
    expect(Array.from(erode(image(3, 2, [1, 1, 1, 1, 1, 1]), { radiusPx: 4, shape: 'disk' }).data)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('is the dual of dilation: erode(x) = 1 − dilate(1 − x) (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom('square' as const, 'disk' as const),
      fc.array(fc.integer({ min: 0, max: 16 }), { minLength: 64, maxLength: 64 }), (width, height, radiusPx, shape, levels) => {
        const source = image(width, height, levels.slice(0, width * height).map((level) => level / 16));
        const inverted = image(width, height, Array.from(source.data, (value) => 1 - value));
        const dual = Array.from(dilate(inverted, { radiusPx, shape }).data, (value) => 1 - value);
        expect(Array.from(erode(source, { radiusPx, shape }).data)).toEqual(dual);
      }));
  });
});
