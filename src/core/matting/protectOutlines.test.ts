import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage, Image8 } from '../imageTypes';
import { protectOutlines } from './protectOutlines';

/** A matte whose `rows` rows all equal `row`. */
function stripes(row: number[], rows = 5): FloatImage {
  return { width: row.length, height: rows, channels: 1, data: Float32Array.from({ length: row.length * rows }, (_, index) => row[index % row.length]!) };
}

/** Grey 8-bit RGB image with the given luma per column (same on every row). */
function grayColumns(luma: number[], rows = 5): Image8 {
  const data = new Uint8Array(luma.length * rows * 3);
  for (let pixel = 0; pixel < luma.length * rows; pixel++) data.fill(luma[pixel % luma.length]!, pixel * 3, pixel * 3 + 3);
  return { width: luma.length, height: rows, channels: 3, data };
}

function middleRow(matte: FloatImage): number[] {
  const row = matte.height >> 1;
  return [...matte.data.subarray(row * matte.width, (row + 1) * matte.width)].map((value) => Math.round(value * 255));
}

const WHITE = 255;
const INK = 20;

describe('protectOutlines', () => {
  it('makes a thin ink line on the subject edge opaque, and nothing else', () => {
    //                     subject……  ink  anti-aliased rim  background
    const alpha = stripes([1, 1, 1, 0.4, 0.1, 0, 0, 0]);
    const image = grayColumns([WHITE, WHITE, WHITE, INK, 150, WHITE, WHITE, WHITE]);
    expect(middleRow(protectOutlines(image, alpha))).toEqual([255, 255, 255, 255, 26, 0, 0, 0]);
  });

  it('leaves ink the model rejected, ink beyond nearPx and ink not touching the subject alone', () => {
    const alpha = stripes([1, 1, 0.3, 0.1, 0.3, 0, 0.3, 0]);
    //                     subject  gap   rejected  far, with α 0.3
    const image = grayColumns([WHITE, WHITE, WHITE, INK, WHITE, WHITE, INK, WHITE]);
    expect(middleRow(protectOutlines(image, alpha))).toEqual([255, 255, 77, 26, 77, 0, 77, 0]);
  });

  it('treats a wide dark area as not a line (dark hair or background is never filled)', () => {
    // Seven dark columns survive an opening of half-width 2 (5 px): they are an area, not an outline.
    const alpha = stripes([1, 1, 1, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 1, 1, 1], 9);
    const image = grayColumns([WHITE, WHITE, WHITE, INK, INK, INK, INK, INK, INK, INK, WHITE, WHITE, WHITE], 9);
    const report = { outlineShare: -1, isApplied: true };
    expect(middleRow(protectOutlines(image, alpha, { report }))).toEqual([255, 255, 255, 102, 102, 102, 102, 102, 102, 102, 255, 255, 255]);
    expect(report).toEqual({ outlineShare: 0, isApplied: false });
    // With lineHalfWidthPx 4 (9 px strokes count as lines) the same ink is outline, but only within nearPx (1) of the subject.
    expect(middleRow(protectOutlines(image, alpha, { lineHalfWidthPx: 4 }))).toEqual([255, 255, 255, 255, 102, 102, 102, 102, 102, 255, 255, 255, 255]);
  });

  it('does not fill gaps between strands', () => {
    const alpha = stripes([1, 0.3, 1, 0.2, 0.2, 1, 0.1, 1]);
    const image = grayColumns([200, 210, 200, 220, 220, 200, 230, 200]);
    expect(middleRow(protectOutlines(image, alpha))).toEqual([255, 77, 255, 51, 51, 255, 26, 255]);
  });

  it('applies nothing when the ink traces less of the contour than minOutlineShare, and reports the share', () => {
    const alpha = stripes([0, 0, 1, 1, 1, 1, 0.4, 0]);
    const image = grayColumns([WHITE, WHITE, WHITE, WHITE, WHITE, WHITE, INK, WHITE]);
    const report = { outlineShare: 0, isApplied: false };
    protectOutlines(image, alpha, { report });
    // Contour: columns 2 and 5 on every row (outside the frame does not count as background); ink traces column 5.
    expect(report.outlineShare).toBeCloseTo(0.5, 6);
    expect(report.isApplied).toBe(true);
    expect(middleRow(protectOutlines(image, alpha, { minOutlineShare: 0.6, report }))).toEqual([0, 0, 255, 255, 255, 255, 102, 0]);
    expect(report.isApplied).toBe(false);
  });

  it('writes in place when out is alpha', () => {
    const alpha = stripes([1, 1, 0.5, 0]);
    const image = grayColumns([WHITE, WHITE, INK, WHITE]);
    expect(protectOutlines(image, alpha, {}, alpha)).toBe(alpha);
    expect(middleRow(alpha)).toEqual([255, 255, 255, 0]);
  });

  it('never lowers alpha, only raises dark pixels, and keeps alpha in [0, 1]', () => {
    const size = 6;
    const unit = fc.float({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: size * size, maxLength: size * size }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: size * size, maxLength: size * size }),
        (alphas, lumas) => {
          const alpha: FloatImage = { width: size, height: size, channels: 1, data: Float32Array.from(alphas) };
          const image: Image8 = { width: size, height: size, channels: 3, data: Uint8Array.from(lumas.flatMap((luma) => [luma, luma, luma])) };
          const result = protectOutlines(image, alpha);
          result.data.forEach((value, index) => {
            expect(value).toBeGreaterThanOrEqual(alpha.data[index]!);
            expect(value).toBeLessThanOrEqual(1);
            if (value !== alpha.data[index]) expect(lumas[index]!).toBeLessThan(50);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects mismatched sizes and bad options', () => {
    const image = grayColumns([WHITE, WHITE]);
    expect(() => protectOutlines(image, stripes([1, 1, 1]))).toThrow(RangeError);
    expect(() => protectOutlines(image, stripes([1, 1]), { lineHalfWidthPx: 1.5 })).toThrow(
      'Expected a non-negative integer for options.lineHalfWidthPx but received 1.5',
    );
    expect(() => protectOutlines(image, stripes([1, 1]), { minAlpha: 2 })).toThrow(RangeError);
  });
});
