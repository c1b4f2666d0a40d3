import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { runBlurFusionStage } from './blurFusionStage';

/** Box side of the second, local blur-fusion stage, as in the paper's reference code. */
const REFINE_SIZE_PX = 6;

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

/** Scratch reused between calls of the same size so slider ticks do not reallocate tens of megabytes. */
let scratch: { stageForeground: Float32Array; columnSums: Float64Array } | undefined;

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
  const { stageForeground, columnSums } = acquireScratch(width, height, Math.max(radiusPx, REFINE_SIZE_PX));
  const shared = { image: image.data, alpha: alpha.data, columnSums };
  runBlurFusionStage(
    { ...shared, foreground: image.data, background: image.data, outForeground: stageForeground, outBackground: background.data },
    width, height, radiusPx,
  );
  runBlurFusionStage(
    { ...shared, foreground: stageForeground, background: background.data, outForeground: foreground.data, outBackground: null },
    width, height, REFINE_SIZE_PX,
  );
  return { foreground, background };
}

/** Returns scratch buffers for a `width × height` image, reusing the previous ones when they are large enough. */
function acquireScratch(width: number, height: number, sizePx: number): { stageForeground: Float32Array; columnSums: Float64Array } {
  const columnLength = (width + sizePx - 1) * 7;
  if (scratch === undefined || scratch.stageForeground.length !== width * height * 3 || scratch.columnSums.length < columnLength) {
    scratch = { stageForeground: new Float32Array(width * height * 3), columnSums: new Float64Array(columnLength) };
  }
  return scratch;
}
