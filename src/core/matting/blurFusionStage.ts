import { reflectIndexMap } from '../filters/reflectIndex';

/** Inputs and outputs of one blur-fusion stage; colour arrays are 3-channel interleaved, `width × height`. */
export interface BlurFusionStageBuffers {
  /** The observed image `I`. */
  readonly image: Float32Array;
  /** Current foreground estimate `F` (the image itself in the first stage). */
  readonly foreground: Float32Array;
  /** Current background estimate `B` (the image itself in the first stage). */
  readonly background: Float32Array;
  /** The matte `α`, one sample per pixel, in [0, 1]. */
  readonly alpha: Float32Array;
  /** Receives the clipped foreground estimate; must not alias any input. */
  readonly outForeground: Float32Array;
  /** Receives the blurred background estimate, or `null` when not wanted; must not alias any input. */
  readonly outBackground: Float32Array | null;
  /** Scratch of at least `(width + sizePx - 1) * 7` samples. */
  readonly columnSums: Float64Array;
}

/**
 * One stage of blur-fusion foreground estimation (Forte & Pitié 2021) in a single sweep over the rows. Per output
 * row it updates vertical running sums of α, F·α and B·(1−α) (products formed on the fly from the rows entering and
 * leaving the window; 7 sums per column, stored for the padded row so borders need no branches), then slides a
 * horizontal running sum along the row and writes
 * `F' = clip(F̄ + α(I − αF̄ − (1−α)B̄))` with `F̄ = blur(Fα)/(blur(α)+ε)` and `B̄ = blur(B(1−α))/(1−blur(α)+ε)`.
 * The box is `cv2.blur(·, (sizePx, sizePx))`: anchor `sizePx/2`, `BORDER_REFLECT_101`. `blur(α)` is rounded to
 * Float32 as OpenCV returns it, so `1 − blur(α)` cancels exactly as in the float32 reference. Where α is 0 or 1
 * the formula reduces to `F̄` or `I`, and only what is needed is computed.
 * @param buffers Arrays of the stage; see {@link BlurFusionStageBuffers}.
 * @param width Image width in pixels.
 * @param height Image height in pixels.
 * @param sizePx Side of the box window in pixels (≥ 1).
 */
export function runBlurFusionStage(buffers: BlurFusionStageBuffers, width: number, height: number, sizePx: number): void {
  const { image, alpha, outForeground, outBackground, columnSums: sums } = buffers;
  const anchor = sizePx >> 1;
  const mapX = reflectIndexMap(width, sizePx, anchor);
  const mapY = reflectIndexMap(height, sizePx, anchor);
  const scale = 1 / (sizePx * sizePx);
  const epsilon = Math.fround(1e-5); // numpy adds the Python float 1e-5 to a float32 array in float32
  const paddedLength = (width + sizePx - 1) * 7;
  const accumulate = buffers.foreground === buffers.background ? accumulateShared : accumulateSeparate;
  sums.fill(0, 0, paddedLength);
  for (let entry = 0; entry < sizePx - 1; entry++) accumulate(buffers, width, anchor, mapY[entry]!, -1);
  for (let y = 0; y < height; y++) {
    accumulate(buffers, width, anchor, mapY[y + sizePx - 1]!, y > 0 ? mapY[y - 1]! : -1);
    for (let entry = 0; entry < mapX.length; entry++) {
      const source = mapX[entry]! + anchor;
      if (source === entry) continue;
      sums.copyWithin(entry * 7, source * 7, source * 7 + 7);
    }
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
    for (let i = 0; i < (sizePx - 1) * 7; i += 7) {
      s0 += sums[i]!; s1 += sums[i + 1]!; s2 += sums[i + 2]!; s3 += sums[i + 3]!;
      s4 += sums[i + 4]!; s5 += sums[i + 5]!; s6 += sums[i + 6]!;
    }
    const enteringOffset = (sizePx - 1) * 7;
    for (let pixel = y * width, end = pixel + width, leaving = 0; pixel < end; pixel++, leaving += 7) {
      const entering = leaving + enteringOffset;
      s0 += sums[entering]!; s1 += sums[entering + 1]!; s2 += sums[entering + 2]!; s3 += sums[entering + 3]!;
      s4 += sums[entering + 4]!; s5 += sums[entering + 5]!; s6 += sums[entering + 6]!;
      const blurredAlpha = Math.fround(s0 * scale);
      const foregroundScale = scale / (blurredAlpha + epsilon);
      const a = alpha[pixel]!;
      const c = pixel * 3;
      const isMixed = a > 0 && a < 1;
      let b0 = 0, b1 = 0, b2 = 0;
      if (isMixed || outBackground !== null) {
        const backgroundScale = scale / (1 - blurredAlpha + epsilon);
        b0 = s4 * backgroundScale; b1 = s5 * backgroundScale; b2 = s6 * backgroundScale;
        if (outBackground !== null) { outBackground[c] = b0; outBackground[c + 1] = b1; outBackground[c + 2] = b2; }
      }
      if (isMixed) {
        const f0 = s1 * foregroundScale, f1 = s2 * foregroundScale, f2 = s3 * foregroundScale;
        const b = 1 - a;
        const r = f0 + a * (image[c]! - a * f0 - b * b0);
        const g = f1 + a * (image[c + 1]! - a * f1 - b * b1);
        const u = f2 + a * (image[c + 2]! - a * f2 - b * b2);
        outForeground[c] = r < 0 ? 0 : r > 1 ? 1 : r;
        outForeground[c + 1] = g < 0 ? 0 : g > 1 ? 1 : g;
        outForeground[c + 2] = u < 0 ? 0 : u > 1 ? 1 : u;
      } else if (a >= 1) {
        outForeground[c] = image[c]!; outForeground[c + 1] = image[c + 1]!; outForeground[c + 2] = image[c + 2]!;
      } else {
        const f0 = s1 * foregroundScale, f1 = s2 * foregroundScale, f2 = s3 * foregroundScale;
        outForeground[c] = f0 > 1 ? 1 : f0; outForeground[c + 1] = f1 > 1 ? 1 : f1; outForeground[c + 2] = f2 > 1 ? 1 : f2;
      }
      s0 -= sums[leaving]!; s1 -= sums[leaving + 1]!; s2 -= sums[leaving + 2]!; s3 -= sums[leaving + 3]!;
      s4 -= sums[leaving + 4]!; s5 -= sums[leaving + 5]!; s6 -= sums[leaving + 6]!;
    }
  }
}

/** First stage (`F = B = I`): adds the products of row `entering` to the column sums, minus those of `leaving`. */
function accumulateShared(buffers: BlurFusionStageBuffers, width: number, anchor: number, entering: number, leaving: number): void {
  const { image, alpha, columnSums } = buffers;
  const rowIn = entering * width, rowOut = leaving * width;
  const hasLeaving = leaving >= 0;
  for (let x = 0, i = anchor * 7; x < width; x++, i += 7) {
    const a = alpha[rowIn + x]!;
    const c = (rowIn + x) * 3;
    const r = image[c]!, g = image[c + 1]!, u = image[c + 2]!;
    let d0 = a, d1 = r * a, d2 = g * a, d3 = u * a, d4 = r - d1, d5 = g - d2, d6 = u - d3;
    if (hasLeaving) {
      const e = alpha[rowOut + x]!;
      const o = (rowOut + x) * 3;
      const r2 = image[o]!, g2 = image[o + 1]!, u2 = image[o + 2]!;
      const p1 = r2 * e, p2 = g2 * e, p3 = u2 * e;
      d0 -= e; d1 -= p1; d2 -= p2; d3 -= p3; d4 -= r2 - p1; d5 -= g2 - p2; d6 -= u2 - p3;
    }
    columnSums[i]! += d0; columnSums[i + 1]! += d1; columnSums[i + 2]! += d2; columnSums[i + 3]! += d3;
    columnSums[i + 4]! += d4; columnSums[i + 5]! += d5; columnSums[i + 6]! += d6;
  }
}

/** Later stages: adds the products of row `entering` to the column sums, minus those of `leaving` (−1: none). */
function accumulateSeparate(buffers: BlurFusionStageBuffers, width: number, anchor: number, entering: number, leaving: number): void {
  const { foreground, background, alpha, columnSums } = buffers;
  const rowIn = entering * width, rowOut = leaving * width;
  const hasLeaving = leaving >= 0;
  for (let x = 0, i = anchor * 7; x < width; x++, i += 7) {
    const a = alpha[rowIn + x]!;
    const b = 1 - a;
    const c = (rowIn + x) * 3;
    let d0 = a, d1 = foreground[c]! * a, d2 = foreground[c + 1]! * a, d3 = foreground[c + 2]! * a;
    let d4 = background[c]! * b, d5 = background[c + 1]! * b, d6 = background[c + 2]! * b;
    if (hasLeaving) {
      const e = alpha[rowOut + x]!;
      const f = 1 - e;
      const o = (rowOut + x) * 3;
      d0 -= e; d1 -= foreground[o]! * e; d2 -= foreground[o + 1]! * e; d3 -= foreground[o + 2]! * e;
      d4 -= background[o]! * f; d5 -= background[o + 1]! * f; d6 -= background[o + 2]! * f;
    }
    columnSums[i]! += d0; columnSums[i + 1]! += d1; columnSums[i + 2]! += d2; columnSums[i + 3]! += d3;
    columnSums[i + 4]! += d4; columnSums[i + 5]! += d5; columnSums[i + 6]! += d6;
  }
}
