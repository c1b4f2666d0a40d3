import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { openWorkingScope } from '../workingArrays';
import { planBlurFusion, runBlurFusionStage, type BlurFusionPlan, type BlurFusionStageBuffers, type PixelRegion } from './blurFusionStage';
import { classifyTiles, mixedTileSpans, TILE_MIXED, TILE_OPAQUE, tileRegion, type TileKinds } from './blurFusionTiles';
import { runFirstStageWhereNeeded } from './blurFusionWhereNeeded';

/** Box side of the second, local blur-fusion stage, as in the paper's reference code. */
const REFINE_SIZE_PX = 6;
/** Pixels the second stage's window reaches before (left of, above) and after a pixel: `cv2.blur`'s anchor. */
const REFINE_BEFORE_PX = REFINE_SIZE_PX >> 1;
const REFINE_AFTER_PX = REFINE_SIZE_PX - 1 - REFINE_BEFORE_PX;

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
  /**
   * Local background colour: the first stage's blurred background estimate (not clipped) where it is used: at every
   * pixel whose α is strictly between 0 and 1, and where α < 1 in the 64-pixel tiles around them; 0 elsewhere.
   */
  readonly background: FloatImage;
}

/**
 * Blur-fusion foreground colour estimation (Forte & Pitié 2021, "Approximate fast foreground colour estimation"):
 * a wide stage with `F = B = image` followed by a 6-pixel stage that starts from the first stage's foreground and
 * background. Matches the authors' numpy + `cv2.blur` reference on float32 data to about 1e-5: the foreground
 * everywhere, the background where it is kept (see {@link ForegroundEstimate.background}).
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
    // The wide stage is computed only where the small stage reads it: around the mixed tiles (under half a portrait).
    const tiles = classifyTiles(alpha.data, width, height, REFINE_BEFORE_PX, REFINE_AFTER_PX);
    background.data.fill(0);
    runFirstStageWhereNeeded(
      { ...shared, foreground: image.data, background: image.data, outForeground: stageForeground, outBackground: background.data },
      planBlurFusion(width, height, radiusPx),
      mixedTileSpans(tiles, width, height, REFINE_BEFORE_PX, REFINE_AFTER_PX, radiusPx - 1),
      borrow(Int32Array, width + radiusPx - 1),
    );
    refineInTiles(
      { ...shared, foreground: stageForeground, background: background.data, outForeground: foreground.data, outBackground: null },
      planBlurFusion(width, height, REFINE_SIZE_PX),
      tiles,
    );
    return { foreground, background };
  } finally {
    close();
  }
}

/**
 * Runs the small second stage only on mixed tiles (`blurFusionTiles.ts`): where every α is 1 the result is the image,
 * and where α is 0 across the tile and its window margin it is 0 (`F̄ = 0/ε`), as in the reference.
 */
function refineInTiles(buffers: BlurFusionStageBuffers, plan: BlurFusionPlan, tiles: TileKinds): void {
  const { width, height } = plan;
  for (let row = 0; row < tiles.rows; row++) {
    for (let column = 0; column < tiles.columns; column++) {
      const kind = tiles.kinds[row * tiles.columns + column];
      const region = tileRegion(column, row, width, height);
      if (kind === TILE_MIXED) runBlurFusionStage(buffers, plan, region);
      else fillRegion(buffers.outForeground, kind === TILE_OPAQUE ? buffers.image : null, width, region);
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
