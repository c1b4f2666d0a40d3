import { reflectIndexMap } from '../filters/reflectIndex';

/** Float32 rounding of the reference's `+ 1e-5` (numpy adds a float32 array and a Python float in float32). */
const EPSILON = Math.fround(1e-5);
/** Interleaved box sums kept per column: α, F·α (3), B·(1−α) (3). */
const SUMS = 7;

/** Inputs and outputs of one blur-fusion stage; all colour arrays are 3-channel interleaved, `width × height`. */
export interface BlurFusionStageBuffers {
  readonly image: Float32Array;
  readonly foreground: Float32Array;
  readonly background: Float32Array;
  readonly alpha: Float32Array;
  /** Receives the clipped foreground estimate; must not alias any input. */
  readonly outForeground: Float32Array;
  /** Receives the blurred background estimate, or `null` when not wanted; must not alias any input. */
  readonly outBackground: Float32Array | null;
  /** Scratch of at least `width * 7` samples. */
  readonly columnSums: Float64Array;
}

/**
 * One stage of blur-fusion foreground estimation (Forte & Pitié 2021), fused into a single sweep: for each output
 * row it updates vertical running sums of α, F·α and B·(1−α) (products formed on the fly from the rows entering and
 * leaving the window), then slides a horizontal running sum along that row and writes
 * `F' = F̄ + α(I − αF̄ − (1−α)B̄)` with `F̄ = blur(Fα)/(blur(α)+ε)`, `B̄ = blur(B(1−α))/(1−blur(α)+ε)`.
 * The box matches `cv2.blur(·, (sizePx, sizePx))`: anchor `sizePx/2`, `BORDER_REFLECT_101`, means rounded to
 * Float32 so `1 − blur(α)` cancels exactly as in the float32 reference.
 * @param buffers Arrays of the stage; see {@link BlurFusionStageBuffers}.
 * @param width Image width in pixels.
 * @param height Image height in pixels.
 * @param sizePx Side of the box window in pixels (≥ 1).
 */
export function runBlurFusionStage(buffers: BlurFusionStageBuffers, width: number, height: number, sizePx: number): void {
  const { image, alpha, outForeground, outBackground, columnSums } = buffers;
  const mapX = reflectIndexMap(width, sizePx, sizePx >> 1);
  const mapY = reflectIndexMap(height, sizePx, sizePx >> 1);
  const scale = 1 / (sizePx * sizePx);
  columnSums.fill(0, 0, width * SUMS);
  for (let entry = 0; entry < sizePx - 1; entry++) accumulateRow(buffers, width, mapY[entry]!, -1);
  for (let y = 0; y < height; y++) {
    accumulateRow(buffers, width, mapY[y + sizePx - 1]!, y > 0 ? mapY[y - 1]! : -1);
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
    for (let entry = 0; entry < sizePx - 1; entry++) {
      const i = mapX[entry]! * SUMS;
      s0 += columnSums[i]!; s1 += columnSums[i + 1]!; s2 += columnSums[i + 2]!; s3 += columnSums[i + 3]!;
      s4 += columnSums[i + 4]!; s5 += columnSums[i + 5]!; s6 += columnSums[i + 6]!;
    }
    for (let x = 0, pixel = y * width; x < width; x++, pixel++) {
      const entering = mapX[x + sizePx - 1]! * SUMS;
      s0 += columnSums[entering]!; s1 += columnSums[entering + 1]!; s2 += columnSums[entering + 2]!;
      s3 += columnSums[entering + 3]!; s4 += columnSums[entering + 4]!; s5 += columnSums[entering + 5]!;
      s6 += columnSums[entering + 6]!;
      const blurredAlpha = Math.fround(s0 * scale);
      const foregroundScale = scale / (blurredAlpha + EPSILON);
      const backgroundScale = scale / (1 - blurredAlpha + EPSILON);
      const a = alpha[pixel]!;
      const b = 1 - a;
      const c = pixel * 3;
      const f0 = s1 * foregroundScale, f1 = s2 * foregroundScale, f2 = s3 * foregroundScale;
      const b0 = s4 * backgroundScale, b1 = s5 * backgroundScale, b2 = s6 * backgroundScale;
      const r = f0 + a * (image[c]! - a * f0 - b * b0);
      const g = f1 + a * (image[c + 1]! - a * f1 - b * b1);
      const u = f2 + a * (image[c + 2]! - a * f2 - b * b2);
      outForeground[c] = r < 0 ? 0 : r > 1 ? 1 : r;
      outForeground[c + 1] = g < 0 ? 0 : g > 1 ? 1 : g;
      outForeground[c + 2] = u < 0 ? 0 : u > 1 ? 1 : u;
      if (outBackground !== null) {
        outBackground[c] = b0; outBackground[c + 1] = b1; outBackground[c + 2] = b2;
      }
      const leaving = mapX[x]! * SUMS;
      s0 -= columnSums[leaving]!; s1 -= columnSums[leaving + 1]!; s2 -= columnSums[leaving + 2]!;
      s3 -= columnSums[leaving + 3]!; s4 -= columnSums[leaving + 4]!; s5 -= columnSums[leaving + 5]!;
      s6 -= columnSums[leaving + 6]!;
    }
  }
}

/** Adds the products of source row `entering` to the column sums and subtracts those of `leaving` (−1: none). */
function accumulateRow(buffers: BlurFusionStageBuffers, width: number, entering: number, leaving: number): void {
  const { foreground, background, alpha, columnSums } = buffers;
  const hasLeaving = leaving >= 0;
  for (let x = 0, i = 0; x < width; x++, i += SUMS) {
    const pixelIn = entering * width + x;
    const a = alpha[pixelIn]!;
    const b = Math.fround(1 - a);
    const c = pixelIn * 3;
    let d0 = a, d1 = foreground[c]! * a, d2 = foreground[c + 1]! * a, d3 = foreground[c + 2]! * a;
    let d4 = background[c]! * b, d5 = background[c + 1]! * b, d6 = background[c + 2]! * b;
    if (hasLeaving) {
      const pixelOut = leaving * width + x;
      const e = alpha[pixelOut]!;
      const f = Math.fround(1 - e);
      const o = pixelOut * 3;
      d0 -= e; d1 -= foreground[o]! * e; d2 -= foreground[o + 1]! * e; d3 -= foreground[o + 2]! * e;
      d4 -= background[o]! * f; d5 -= background[o + 1]! * f; d6 -= background[o + 2]! * f;
    }
    columnSums[i]! += d0; columnSums[i + 1]! += d1; columnSums[i + 2]! += d2; columnSums[i + 3]! += d3;
    columnSums[i + 4]! += d4; columnSums[i + 5]! += d5; columnSums[i + 6]! += d6;
  }
}
