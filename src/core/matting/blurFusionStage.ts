import { reflectIndexMap } from '../filters/reflectIndex';
import { accumulateBlurFusionRow } from './blurFusionRows';

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
  /**
   * Receives the clipped foreground estimate; must not alias any input. When `outBackground` is given (first stage)
   * pixels with α = 0 are left untouched: the next stage only reads `F·α`.
   */
  readonly outForeground: Float32Array;
  /**
   * Receives the blurred background estimate where α < 1 (the next stage reads it only as B·(1−α); pixels with α = 1
   * are left untouched), or `null` when not wanted; must not alias any input.
   */
  readonly outBackground: Float32Array | null;
  /** Scratch of at least `(region width + sizePx − 1) × 7` samples. */
  readonly columnSums: Float64Array;
}

/** Window geometry of a stage, shared by every region of one image. */
export interface BlurFusionPlan {
  readonly width: number;
  readonly height: number;
  readonly sizePx: number;
  /** Source column of each padded column entry (`reflectIndexMap`). */
  readonly mapX: Int32Array;
  /** Source row of each padded row entry. */
  readonly mapY: Int32Array;
}

/** Output rectangle `[x0, x1) × [y0, y1)`. */
export interface PixelRegion { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number }

/** Precomputes the reflect-101 index maps of a `sizePx` box (anchor `sizePx / 2`) over a `width × height` image. */
export function planBlurFusion(width: number, height: number, sizePx: number): BlurFusionPlan {
  const anchor = sizePx >> 1;
  return { width, height, sizePx, mapX: reflectIndexMap(width, sizePx, anchor), mapY: reflectIndexMap(height, sizePx, anchor) };
}

/**
 * One stage of blur-fusion foreground estimation (Forte & Pitié 2021) over a region, in one sweep of its rows: per
 * output row it updates vertical running sums of α, F·α and B·(1−α) for the region's padded columns (products formed
 * from the rows entering and leaving the window), then slides a horizontal running sum along the row and writes
 * `F' = clip(F̄ + α(I − αF̄ − (1−α)B̄))`, `F̄ = blur(Fα)/(blur(α)+ε)`, `B̄ = blur(B(1−α))/(1−blur(α)+ε)`. The box
 * is `cv2.blur(·, (sizePx, sizePx))` (anchor `sizePx/2`, `BORDER_REFLECT_101`); `blur(α)` is rounded to Float32 as
 * OpenCV returns it, so `1 − blur(α)` cancels exactly as in the float32 reference. Where α is 0 or 1 the formula
 * reduces to `F̄` or `I`, and only what is needed is computed.
 * @param buffers Arrays of the stage.
 * @param plan Index maps from {@link planBlurFusion}.
 * @param region Output rectangle (defaults to the whole image).
 */
export function runBlurFusionStage(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, region?: PixelRegion): void {
  const { width, height, sizePx, mapY } = plan;
  const { x0, x1, y0, y1 } = region ?? { x0: 0, x1: width, y0: 0, y1: height };
  buffers.columnSums.fill(0, 0, (x1 - x0 + sizePx - 1) * 7);
  for (let entry = y0; entry < y0 + sizePx - 1; entry++) accumulateBlurFusionRow(buffers, plan, x0, x1, mapY[entry]!, -1);
  for (let y = y0; y < y1; y++) {
    accumulateBlurFusionRow(buffers, plan, x0, x1, mapY[y + sizePx - 1]!, y > y0 ? mapY[y - 1]! : -1);
    emitBlurFusionRow(buffers, plan, y, x0, x1, 0);
  }
}

/**
 * Horizontal step of a blur-fusion stage: slides the window along output row `y` from `x0` to `x1` over column sums
 * that are up to date for the row (entry `x0`'s seven sums start at `columnSums[sumsStart]`), and writes the outputs.
 * @param buffers Arrays of the stage.
 * @param plan Window geometry of the stage.
 * @param y Output row.
 * @param x0 First output column.
 * @param x1 End (exclusive) of the output columns.
 * @param sumsStart Index in `columnSums` of padded entry `x0`'s first sum.
 */
export function emitBlurFusionRow(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, y: number, x0: number, x1: number, sumsStart: number): void {
  const { image, alpha, outForeground, outBackground, columnSums: sums } = buffers;
  const { width, sizePx } = plan;
  const scale = 1 / (sizePx * sizePx);
  const epsilon = Math.fround(1e-5); // numpy adds the Python float 1e-5 to a float32 array in float32
  const isFirstStage = outBackground !== null;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
  for (let i = sumsStart; i < sumsStart + (sizePx - 1) * 7; i += 7) {
    s0 += sums[i]!; s1 += sums[i + 1]!; s2 += sums[i + 2]!; s3 += sums[i + 3]!;
    s4 += sums[i + 4]!; s5 += sums[i + 5]!; s6 += sums[i + 6]!;
  }
  const enteringOffset = (sizePx - 1) * 7;
  for (let pixel = y * width + x0, end = y * width + x1, leaving = sumsStart; pixel < end; pixel++, leaving += 7) {
    const entering = leaving + enteringOffset;
    s0 += sums[entering]!; s1 += sums[entering + 1]!; s2 += sums[entering + 2]!; s3 += sums[entering + 3]!;
    s4 += sums[entering + 4]!; s5 += sums[entering + 5]!; s6 += sums[entering + 6]!;
    const blurredAlpha = Math.fround(s0 * scale);
    const a = alpha[pixel]!;
    const c = pixel * 3;
    const isMixed = a > 0 && a < 1;
    let b0 = 0, b1 = 0, b2 = 0;
    // The first stage's B is read only as B·(1−α): where α is 1 it is not computed.
    if (isMixed || (isFirstStage && a < 1)) {
      const backgroundScale = scale / (1 - blurredAlpha + epsilon);
      b0 = s4 * backgroundScale; b1 = s5 * backgroundScale; b2 = s6 * backgroundScale;
      if (isFirstStage) { outBackground[c] = b0; outBackground[c + 1] = b1; outBackground[c + 2] = b2; }
    }
    if (isMixed) {
      const foregroundScale = scale / (blurredAlpha + epsilon);
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
    } else if (!isFirstStage) {
      const foregroundScale = scale / (blurredAlpha + epsilon);
      const f0 = s1 * foregroundScale, f1 = s2 * foregroundScale, f2 = s3 * foregroundScale;
      outForeground[c] = f0 > 1 ? 1 : f0; outForeground[c + 1] = f1 > 1 ? 1 : f1; outForeground[c + 2] = f2 > 1 ? 1 : f2;
    }
    s0 -= sums[leaving]!; s1 -= sums[leaving + 1]!; s2 -= sums[leaving + 2]!; s3 -= sums[leaving + 3]!;
    s4 -= sums[leaving + 4]!; s5 -= sums[leaving + 5]!; s6 -= sums[leaving + 6]!;
  }
}
