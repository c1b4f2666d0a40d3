import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage, Image8 } from '../imageTypes';
import { protectOutlines } from './protectOutlines';

/** A matte whose `rows` rows all equal `row`, so any structuring element acts like its horizontal extent. */
function stripes(row: number[], rows = 3): FloatImage {
  return { width: row.length, height: rows, channels: 1, data: Float32Array.from({ length: row.length * rows }, (_, index) => row[index % row.length]!) };
}

/** Grey 8-bit RGB image with the given luma per column (same on every row). */
function grayColumns(luma: number[], rows = 3): Image8 {
  const data = new Uint8Array(luma.length * rows * 3);
  for (let pixel = 0; pixel < luma.length * rows; pixel++) data.fill(luma[pixel % luma.length]!, pixel * 3, pixel * 3 + 3);
  return { width: luma.length, height: rows, channels: 3, data };
}

function middleRow(matte: FloatImage): number[] {
  return [...matte.data.subarray(matte.width, 2 * matte.width)].map((value) => Math.round(value * 255));
}

const WHITE = 255;
const INK = 20;
const noFill = { closingPx: 0, fillThreshold: 1 };

describe('protectOutlines', () => {
  it('makes ink next to the subject opaque and leaves distant dark background alone', () => {
    //          subject…………………  ink  gap……………………  far ink
    const alpha = stripes([1, 1, 1, 0.3, 0, 0, 0, 0, 0]);
    const image = grayColumns([WHITE, WHITE, WHITE, INK, WHITE, WHITE, WHITE, INK, INK]);
    const result = protectOutlines(image, alpha, { ...noFill, dilatePx: 0 });
    expect(middleRow(result)).toEqual([255, 255, 255, 255, 0, 0, 0, 0, 0]);
  });

  it('dilates the outline mask by dilatePx before making it opaque', () => {
    const alpha = stripes([1, 1, 0.2, 0.1, 0, 0, 0, 0]);
    const image = grayColumns([WHITE, WHITE, WHITE, INK, WHITE, WHITE, WHITE, WHITE]);
    expect(middleRow(protectOutlines(image, alpha, { ...noFill, dilatePx: 1 }))).toEqual([255, 255, 255, 255, 255, 0, 0, 0]);
    // Ink two pixels out is beyond nearPx = 1.
    expect(middleRow(protectOutlines(image, alpha, { ...noFill, dilatePx: 1, nearPx: 1 }))).toEqual([255, 255, 51, 26, 0, 0, 0, 0]);
  });

  it('closes narrow gaps in the interior up to fillMinimum but not wide ones', () => {
    const alpha = stripes([1, 1, 0.3, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1]);
    const image = grayColumns(new Array(12).fill(WHITE));
    const result = protectOutlines(image, alpha, { closingPx: 1 });
    expect(middleRow(result)).toEqual([255, 255, 220, 255, 255, 26, 26, 26, 26, 26, 255, 255]);
  });

  // The subject keeps more than closingPx (3) from the frame: as in OpenCV, closer shapes are joined to the frame.
  it('leaves a matte without ink or gaps unchanged, and writes in place when out is alpha', () => {
    const alpha = stripes([0, 0, 0, 0, 0.2, 0.9, 1, 1, 0.9, 0.2, 0, 0, 0, 0]);
    const before = [...alpha.data];
    const image = grayColumns(new Array(14).fill(200));
    expect(protectOutlines(image, alpha, {}, alpha)).toBe(alpha);
    expect([...alpha.data]).toEqual(before);
  });

  it('never lowers alpha and keeps it in [0, 1]', () => {
    const size = 6;
    const unit = fc.float({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: size * size, maxLength: size * size }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: size * size, maxLength: size * size }),
        (alphas, lumas) => {
          const alpha: FloatImage = { width: size, height: size, channels: 1, data: Float32Array.from(alphas) };
          const image: Image8 = { width: size, height: size, channels: 3, data: Uint8Array.from(lumas.flatMap((luma) => [luma, luma, luma])) };
          const result = protectOutlines(image, alpha, { closingPx: 1 });
          result.data.forEach((value, index) => {
            expect(value).toBeGreaterThanOrEqual(alpha.data[index]!);
            expect(value).toBeLessThanOrEqual(1);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects mismatched sizes and bad options', () => {
    const image = grayColumns([WHITE, WHITE]);
    expect(() => protectOutlines(image, stripes([1, 1, 1]))).toThrow(RangeError);
    expect(() => protectOutlines(image, stripes([1, 1]), { dilatePx: 1.5 })).toThrow(
      'Expected a non-negative integer for options.dilatePx but received 1.5',
    );
    expect(() => protectOutlines(image, stripes([1, 1]), { fillMinimum: 2 })).toThrow(RangeError);
  });
});
