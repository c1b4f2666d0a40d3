import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { openWorkingScope } from '../workingArrays';
import { planBlurFusion, runBlurFusionStage, type BlurFusionPlan, type BlurFusionStageBuffers, type PixelRegion } from './blurFusionStage';

/** Box side of the second, local blur-fusion stage, as in the paper's reference code. */
const REFINE_SIZE_PX = 6;
/** Side of the tiles the second stage skips where α is uniformly 0 or 1. */
const TILE_PX = 64;

/** Options for {@link estimateForeground}. */
export interface EstimateForegroundOptions {
  /**
   * Side in pixels of the wide first-stage box window (the paper's `r`, passed to `cv2.blur` as the kernel size),
   * a non-negative integer. Larger windows borrow colour from further away. 0 turns estimation off: the
   * foreground and background are copies of the image. @default 90
   */
  readonly radiusPx?: number;
  /** Optional 3-channel destinations of the image's size, reused across slider ticks. */
  readonly out?: { readonly foreground?: FloatImage; readonly background?: FloatImage };
}

/** Result of {@link estimateForeground}. */
export interface ForegroundEstimate {
  /** Foreground colour (straight, sRGB-encoded, [0, 1]) to composite with the matte. */
  readonly foreground: FloatImage;
  /** Local background colour: the first stage's blurred background estimate (not clipped). */
  readonly background: FloatImage;
}

/**
 * Blur-fusion foreground colour estimation (Forte & Pitié 2021, "Approximate fast foreground colour estimation"):
 * a wide stage with `F = B = image` followed by a 6-pixel stage that starts from the first stage's foreground and
 * background. Matches the authors' numpy + `cv2.blur` reference on float32 data to about 1e-5.
 * @param image 3-channel float image in [0, 1].
 * @param alpha One-channel matte of the same size.
 * @param options Window size and optional destinations.
 * @returns The foreground colour and the local background colour.
 */
export function estimateForeground(
  image: FloatImage,
  alpha: AlphaMatte,
  options: EstimateForegroundOptions = {},
): ForegroundEstimate {
  assertImage(image, 'image', { channels: 3 });
  const { width, height } = image;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  const radiusPx = options.radiusPx ?? 90;
  if (!Number.isInteger(radiusPx) || radiusPx < 0) {
    throw new RangeError(expectation('a non-negative integer', 'radiusPx', radiusPx));
  }
  const foreground = options.out?.foreground ?? createFloatImage(width, height, 3);
  const background = options.out?.background ?? createFloatImage(width, height, 3);
  assertImage(foreground, 'out.foreground', { channels: 3, width, height });
  assertImage(background, 'out.background', { channels: 3, width, height });
  const inputs = [image.data, alpha.data];
  if (foreground.data === background.data || inputs.includes(foreground.data) || inputs.includes(background.data)) {
    throw new RangeError(expectation('separate buffers', 'out', 'an output aliasing another buffer'));
  }
  if (radiusPx === 0) {
    foreground.data.set(image.data);
    background.data.set(image.data);
    return { foreground, background };
  }
  // Stage buffers are borrowed from the thread's working arrays (`workingArrays.ts`): slider ticks do not fault tens
  // of megabytes in afresh.
  const { borrow, close } = openWorkingScope();
  try {
    // The first stage leaves F untouched where α = 0 (the next stage reads only F·α), so it starts from zeros, not NaN.
    const stageForeground = borrow(Float32Array, width * height * 3).fill(0);
    const columnSums = borrow(Float64Array, (width + Math.max(radiusPx, REFINE_SIZE_PX) - 1) * 7);
    const shared = { image: image.data, alpha: alpha.data, columnSums };
    runBlurFusionStage(
      { ...shared, foreground: image.data, background: image.data, outForeground: stageForeground, outBackground: background.data },
      planBlurFusion(width, height, radiusPx),
    );
    refineInTiles(
      { ...shared, foreground: stageForeground, background: background.data, outForeground: foreground.data, outBackground: null },
      planBlurFusion(width, height, REFINE_SIZE_PX),
    );
    return { foreground, background };
  } finally {
    close();
  }
}

/**
 * Runs the small second stage only on tiles where it changes anything: where every α is 1 the result is the image,
 * and where α is 0 across the tile and its window margin it is 0 (`F̄ = 0/ε`), as in the reference.
 */
function refineInTiles(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan): void {
  const { width, height, sizePx } = plan;
  const { alpha, image, outForeground } = buffers;
  const before = sizePx >> 1;
  const after = sizePx - 1 - before;
  for (let y0 = 0; y0 < height; y0 += TILE_PX) {
    for (let x0 = 0; x0 < width; x0 += TILE_PX) {
      const region = { x0, x1: Math.min(width, x0 + TILE_PX), y0, y1: Math.min(height, y0 + TILE_PX) };
      if (minimumAlpha(alpha, width, region) >= 1) {
        fillRegion(outForeground, image, width, region);
        continue;
      }
      const margin = { x0: Math.max(0, x0 - before), x1: Math.min(width, region.x1 + after), y0: Math.max(0, y0 - before), y1: Math.min(height, region.y1 + after) };
      if (maximumAlpha(alpha, width, margin) <= 0) {
        fillRegion(outForeground, null, width, region);
        continue;
      }
      runBlurFusionStage(buffers, plan, region);
    }
  }
}

/** Copies the region of a 3-channel `source` into `target`, or zeroes it when `source` is `null`. */
function fillRegion(target: Float32Array, source: Float32Array | null, width: number, region: PixelRegion): void {
  for (let y = region.y0; y < region.y1; y++) {
    for (let index = (y * width + region.x0) * 3, end = (y * width + region.x1) * 3; index < end; index++) {
      target[index] = source === null ? 0 : source[index]!;
    }
  }
}

/** Smallest α in the region. */
function minimumAlpha(alpha: Float32Array, width: number, region: PixelRegion): number {
  let minimum = Infinity;
  for (let y = region.y0; y < region.y1; y++) {
    for (let pixel = y * width + region.x0, end = y * width + region.x1; pixel < end; pixel++) minimum = Math.min(minimum, alpha[pixel]!);
  }
  return minimum;
}

/** Largest α in the region. */
function maximumAlpha(alpha: Float32Array, width: number, region: PixelRegion): number {
  let maximum = -Infinity;
  for (let y = region.y0; y < region.y1; y++) {
    for (let pixel = y * width + region.x0, end = y * width + region.x1; pixel < end; pixel++) maximum = Math.max(maximum, alpha[pixel]!);
  }
  return maximum;
}
