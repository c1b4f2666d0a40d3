import type { BlurFusionPlan, BlurFusionStageBuffers } from './blurFusionStage';

/**
 * Vertical step of a blur-fusion stage: adds to the column sums (α, F·α, B·(1−α) for padded column entries
 * `x0 … x1 + sizePx − 2`) the products of source row `entering`, minus those of source row `leaving` (−1: none).
 * The first stage (`F = B = I`) reads the image once per pixel.
 * @param buffers Arrays of the stage.
 * @param plan Index maps of the stage.
 * @param x0 First output column of the region.
 * @param x1 End (exclusive) of the region's output columns.
 * @param entering Source row entering the window.
 * @param leaving Source row leaving the window, or −1.
 */
export function accumulateBlurFusionRow(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, x0: number, x1: number, entering: number, leaving: number): void {
  if (buffers.foreground === buffers.background) accumulateShared(buffers, plan, x0, x1, entering, leaving);
  else accumulateSeparate(buffers, plan, x0, x1, entering, leaving);
}

/** First stage (`F = B = I`): adds the products of row `entering` to the column sums, minus those of `leaving` (−1: none). */
function accumulateShared(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, x0: number, x1: number, entering: number, leaving: number): void {
  const { image, alpha, columnSums } = buffers;
  const { mapX, width } = plan;
  const rowIn = entering * width, rowOut = leaving * width;
  for (let entry = x0, end = x1 + plan.sizePx - 1, i = 0; entry < end; entry++, i += 7) {
    const column = mapX[entry]!;
    const a = alpha[rowIn + column]!;
    const c = (rowIn + column) * 3;
    const r = image[c]!, g = image[c + 1]!, u = image[c + 2]!;
    let d0 = a, d1 = r * a, d2 = g * a, d3 = u * a, d4 = r - d1, d5 = g - d2, d6 = u - d3;
    if (leaving >= 0) {
      const e = alpha[rowOut + column]!;
      const o = (rowOut + column) * 3;
      const r2 = image[o]!, g2 = image[o + 1]!, u2 = image[o + 2]!;
      const p1 = r2 * e, p2 = g2 * e, p3 = u2 * e;
      d0 -= e; d1 -= p1; d2 -= p2; d3 -= p3; d4 -= r2 - p1; d5 -= g2 - p2; d6 -= u2 - p3;
    }
    columnSums[i]! += d0; columnSums[i + 1]! += d1; columnSums[i + 2]! += d2; columnSums[i + 3]! += d3;
    columnSums[i + 4]! += d4; columnSums[i + 5]! += d5; columnSums[i + 6]! += d6;
  }
}

/** Later stages: adds the products of row `entering` to the column sums, minus those of `leaving` (−1: none). */
function accumulateSeparate(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, x0: number, x1: number, entering: number, leaving: number): void {
  const { foreground, background, alpha, columnSums } = buffers;
  const { mapX, width } = plan;
  const rowIn = entering * width, rowOut = leaving * width;
  for (let entry = x0, end = x1 + plan.sizePx - 1, i = 0; entry < end; entry++, i += 7) {
    const column = mapX[entry]!;
    const a = alpha[rowIn + column]!;
    const b = 1 - a;
    const c = (rowIn + column) * 3;
    let d0 = a, d1 = foreground[c]! * a, d2 = foreground[c + 1]! * a, d3 = foreground[c + 2]! * a;
    let d4 = background[c]! * b, d5 = background[c + 1]! * b, d6 = background[c + 2]! * b;
    if (leaving >= 0) {
      const e = alpha[rowOut + column]!;
      const f = 1 - e;
      const o = (rowOut + column) * 3;
      d0 -= e; d1 -= foreground[o]! * e; d2 -= foreground[o + 1]! * e; d3 -= foreground[o + 2]! * e;
      d4 -= background[o]! * f; d5 -= background[o + 1]! * f; d6 -= background[o + 2]! * f;
    }
    columnSums[i]! += d0; columnSums[i + 1]! += d1; columnSums[i + 2]! += d2; columnSums[i + 3]! += d3;
    columnSums[i + 4]! += d4; columnSums[i + 5]! += d5; columnSums[i + 6]! += d6;
  }
}
