import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBlurFusion, runBlurFusionStage } from './blurFusionStage';
import { classifyTiles, mixedTileSpans, TILE_CLEAR, TILE_MIXED, TILE_OPAQUE, TILE_PX, type RowSpans } from './blurFusionTiles';
import { runFirstStageWhereNeeded } from './blurFusionWhereNeeded';

function randomPlane(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const data = new Float32Array(length);
  for (let index = 0; index < length; index++) data[index] = (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return data;
}

/** The full first stage over the whole picture, the reference the spans must reproduce. */
function fullFirstStage(image: Float32Array, alpha: Float32Array, width: number, height: number, sizePx: number) {
  const outForeground = new Float32Array(image.length);
  const outBackground = new Float32Array(image.length);
  const columnSums = new Float64Array((width + sizePx - 1) * 7);
  runBlurFusionStage({ image, foreground: image, background: image, alpha, outForeground, outBackground, columnSums }, planBlurFusion(width, height, sizePx));
  return { outForeground, outBackground };
}

function spansFrom(rows: Array<Array<[number, number]>>): RowSpans {
  const rowStarts = new Int32Array(rows.length + 1);
  const bounds: number[] = [];
  rows.forEach((spans, y) => {
    rowStarts[y] = bounds.length / 2;
    for (const span of spans) bounds.push(...span);
  });
  rowStarts[rows.length] = bounds.length / 2;
  return { rowStarts, bounds: Int32Array.from(bounds) };
}

describe('runFirstStageWhereNeeded', () => {
  it('reproduces the full first stage on any spans and leaves every other pixel as it was (property)', () => {
    // Spans come and go from row to row, so columns are brought up to date after one row, a short gap (stepped through)
    // and a long one (summed afresh); windows larger than the picture reflect more than once.
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer(), fc.integer({ min: 0, max: 100 }),
      (width, height, sizePx, seed, percent) => {
        const image = randomPlane(width * height * 3, seed);
        const alpha = randomPlane(width * height, seed ^ 0x2545f491);
        alpha.forEach((value, index) => { alpha[index] = value < 0.3 ? 0 : value > 0.6 ? 1 : value; });
        const choices = randomPlane(height * 2, seed ^ 0x68e31da4);
        const rows = Array.from({ length: height }, (_, y): Array<[number, number]> => {
          if (choices[2 * y]! * 100 >= percent) return [];
          const split = Math.floor(choices[2 * y + 1]! * width);
          return split > 0 && split < width - 1 ? [[0, split], [split + 1, width]] : [[0, width]];
        });
        const outForeground = new Float32Array(image.length).fill(Number.NaN);
        const outBackground = new Float32Array(image.length).fill(Number.NaN);
        const columnSums = new Float64Array((width + sizePx - 1) * 7).fill(Number.NaN);
        const lastRow = new Int32Array(width + sizePx - 1).fill(7);
        runFirstStageWhereNeeded({ image, foreground: image, background: image, alpha, outForeground, outBackground, columnSums }, planBlurFusion(width, height, sizePx), spansFrom(rows), lastRow);
        const full = fullFirstStage(image, alpha, width, height, sizePx);
        rows.forEach((spans, y) => {
          for (let x = 0; x < width; x++) {
            const isInSpan = spans.some(([x0, x1]) => x >= x0 && x < x1);
            const pixel = y * width + x;
            for (let c = pixel * 3; c < pixel * 3 + 3; c++) {
              if (!isInSpan) {
                expect(outBackground[c]).toBeNaN();
                expect(outForeground[c]).toBeNaN();
                continue;
              }
              // B is computed where α < 1 only, as in the full stage.
              if (alpha[pixel]! < 1) expect(Math.abs(outBackground[c]! - full.outBackground[c]!)).toBeLessThan(1e-5);
              else expect(outBackground[c]).toBeNaN();
              // The first stage leaves F untouched where α is 0, as the full stage does.
              if (alpha[pixel]! > 0) expect(Math.abs(outForeground[c]! - full.outForeground[c]!)).toBeLessThan(1e-5);
              else expect(outForeground[c]).toBeNaN();
            }
          }
        });
      },
    ), { numRuns: 200 });
  });

  it('refuses a later stage, whose foreground and background are not the image', () => {
    const image = randomPlane(12, 1);
    const other = randomPlane(12, 2);
    const buffers = { image, foreground: other, background: other, alpha: randomPlane(4, 3), outForeground: new Float32Array(12), outBackground: null, columnSums: new Float64Array(70) };
    expect(() => runFirstStageWhereNeeded(buffers, planBlurFusion(2, 2, 3), spansFrom([[[0, 2]], [[0, 2]]]), new Int32Array(4))).toThrow(RangeError);
  });
});

describe('classifyTiles and mixedTileSpans', () => {
  // 3 × 2 tiles, the last column and row partial: opaque left, transparent elsewhere but for one soft pixel in the
  // middle tile of the top row and one in the right tile of the bottom row.
  const width = 2 * TILE_PX + 20;
  const height = TILE_PX + 30;
  const alpha = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < TILE_PX; x++) alpha[y * width + x] = 1;
  alpha[10 * width + TILE_PX + 5] = 0.5;
  alpha[(TILE_PX + 10) * width + 2 * TILE_PX + 1] = 0.25;
  const tiles = classifyTiles(alpha, width, height, 3, 2);

  it('sorts tiles into opaque, clear (margin included) and mixed', () => {
    expect({ columns: tiles.columns, rows: tiles.rows }).toEqual({ columns: 3, rows: 2 });
    // Top right: transparent, margin included. Bottom middle: transparent inside, but the opaque tile's last columns lie
    // within its margin, so the second stage gives its left edge a colour.
    expect(Array.from(tiles.kinds)).toEqual([TILE_OPAQUE, TILE_MIXED, TILE_CLEAR, TILE_OPAQUE, TILE_MIXED, TILE_MIXED]);
  });

  it('covers each mixed tile grown by the window, joining spans closer than the bridge', () => {
    const rowSpans = (spans: RowSpans, y: number) => Array.from({ length: spans.rowStarts[y + 1]! - spans.rowStarts[y]! }, (_, k) => Array.from(spans.bounds.subarray(2 * (spans.rowStarts[y]! + k), 2 * (spans.rowStarts[y]! + k) + 2)));
    const apart = mixedTileSpans(tiles, width, height, 3, 2, 1);
    expect(rowSpans(apart, 0)).toEqual([[TILE_PX - 3, 2 * TILE_PX + 2]]);
    // Rows within the window's reach of the tile-row boundary see both tile rows; then the bottom row alone.
    expect(rowSpans(apart, TILE_PX - 3)).toEqual([[TILE_PX - 3, width]]);
    expect(rowSpans(apart, TILE_PX + 2)).toEqual([[TILE_PX - 3, width]]);
    expect(rowSpans(apart, TILE_PX + 3)).toEqual([[TILE_PX - 3, width]]);
    expect(rowSpans(apart, height - 1)).toEqual([[TILE_PX - 3, width]]);
    expect(rowSpans(apart, TILE_PX - 4)).toEqual([[TILE_PX - 3, 2 * TILE_PX + 2]]);
    // Top row only: the bottom tile rows' reach starts 3 rows above them.
    const mixedCorners = new Uint8Array([TILE_MIXED, TILE_OPAQUE, TILE_MIXED, TILE_OPAQUE, TILE_OPAQUE, TILE_OPAQUE]);
    const corners = { ...tiles, kinds: mixedCorners };
    expect(rowSpans(mixedTileSpans(corners, width, height, 3, 2, 1), 0)).toEqual([[0, TILE_PX + 2], [2 * TILE_PX - 3, width]]);
    expect(rowSpans(mixedTileSpans(corners, width, height, 3, 2, 2 * TILE_PX), 0)).toEqual([[0, width]]);
    expect(rowSpans(mixedTileSpans(corners, width, height, 3, 2, 1), TILE_PX + 3)).toEqual([]);
  });
});
