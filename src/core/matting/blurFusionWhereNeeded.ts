/**
 * The wide first blur-fusion stage (`F = B = I`), computed only on the spans the second stage reads
 * (`blurFusionTiles.ts`). It sweeps the rows once, as the full stage does, but brings a column's vertical sums up to
 * date only when a span of the current row needs that column: one step when the column was used on the row before,
 * a few steps after a short gap, and a fresh sum of the window after a long one (cheaper than stepping through it).
 * The sums then hold what the full stage's running sums hold, up to float64 rounding, and each span slides its
 * horizontal window as the full stage does (`emitBlurFusionRow`).
 */
import { emitBlurFusionRow, type BlurFusionPlan, type BlurFusionStageBuffers } from './blurFusionStage';
import type { RowSpans } from './blurFusionTiles';

/** `lastRow` entry of a column whose sums have never been formed. */
const NEVER = -(2 ** 30);

/**
 * Runs the first stage on `spans` only; elsewhere the outputs are left as they were.
 * @param buffers The first stage's arrays (`foreground` and `background` are the image).
 * @param plan The stage's window geometry.
 * @param spans Output columns per row.
 * @param lastRow Scratch of at least `width + sizePx − 1` entries (any contents).
 */
export function runFirstStageWhereNeeded(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, spans: RowSpans, lastRow: Int32Array): void {
  if (buffers.foreground !== buffers.image || buffers.background !== buffers.image) {
    throw new RangeError('Expected the image as foreground and background for buffers but received other arrays');
  }
  const { width, height, sizePx } = plan;
  lastRow.fill(NEVER, 0, width + sizePx - 1);
  const { rowStarts, bounds } = spans;
  for (let y = 0; y < height; y++) {
    for (let span = rowStarts[y]!; span < rowStarts[y + 1]!; span++) {
      const x0 = bounds[2 * span]!;
      const x1 = bounds[2 * span + 1]!;
      bringColumnsTo(buffers, plan, y, x0, x1 + sizePx - 1, lastRow);
      emitBlurFusionRow(buffers, plan, y, x0, x1, x0 * 7);
    }
  }
}

/** Brings the vertical sums of padded column entries `first … end − 1` to output row `y`'s window. */
function bringColumnsTo(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, y: number, first: number, end: number, lastRow: Int32Array): void {
  const { image, alpha, columnSums: sums } = buffers;
  const { mapX, mapY, width, sizePx } = plan;
  const rowIn = mapY[y + sizePx - 1]! * width;
  const rowOut = y > 0 ? mapY[y - 1]! * width : 0;
  // Stepping through a gap reads two rows per step; summing the window afresh reads sizePx rows.
  const longestCatchUp = sizePx >> 1;
  for (let entry = first, i = first * 7; entry < end; entry++, i += 7) {
    const last = lastRow[entry]!;
    if (last === y) continue;
    lastRow[entry] = y;
    const column = mapX[entry]!;
    if (last === y - 1) {
      // The common case, written out: the row entering the window minus the row leaving it.
      const a = alpha[rowIn + column]!, e = alpha[rowOut + column]!;
      const c = (rowIn + column) * 3, o = (rowOut + column) * 3;
      const r = image[c]!, g = image[c + 1]!, u = image[c + 2]!;
      const r2 = image[o]!, g2 = image[o + 1]!, u2 = image[o + 2]!;
      const p1 = r * a, p2 = g * a, p3 = u * a, q1 = r2 * e, q2 = g2 * e, q3 = u2 * e;
      sums[i]! += a - e; sums[i + 1]! += p1 - q1; sums[i + 2]! += p2 - q2; sums[i + 3]! += p3 - q3;
      sums[i + 4]! += r - p1 - (r2 - q1); sums[i + 5]! += g - p2 - (g2 - q2); sums[i + 6]! += u - p3 - (u2 - q3);
    } else if (y - last <= longestCatchUp) {
      for (let row = last + 1; row <= y; row++) {
        addProducts(image, alpha, sums, i, mapY[row + sizePx - 1]! * width + column, 1);
        addProducts(image, alpha, sums, i, mapY[row - 1]! * width + column, -1);
      }
    } else {
      sums.fill(0, i, i + 7);
      for (let row = y; row < y + sizePx; row++) addProducts(image, alpha, sums, i, mapY[row]! * width + column, 1);
    }
  }
}

/** Adds `sign ×` pixel's products (α, I·α, I·(1−α)) to the seven sums at `i`. */
function addProducts(image: Float32Array, alpha: Float32Array, sums: Float64Array, i: number, pixel: number, sign: 1 | -1): void {
  const a = alpha[pixel]!;
  const c = pixel * 3;
  const r = image[c]!, g = image[c + 1]!, u = image[c + 2]!;
  const p1 = r * a, p2 = g * a, p3 = u * a;
  sums[i]! += sign * a; sums[i + 1]! += sign * p1; sums[i + 2]! += sign * p2; sums[i + 3]! += sign * p3;
  sums[i + 4]! += sign * (r - p1); sums[i + 5]! += sign * (g - p2); sums[i + 6]! += sign * (u - p3);
}
