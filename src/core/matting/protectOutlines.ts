import { toGray } from '../filters/toGray';
import { assertImage, createFloatImage, expectation, type AlphaMatte, type ImageBuffer } from '../imageTypes';
import { closing } from '../morphology/closing';
import { dilate } from '../morphology/dilate';

/** Options of {@link protectOutlines}. */
export interface ProtectOutlinesOptions {
  /** Luma (Rec.601, 0–255 scale) below which a pixel counts as outline ink. @default 80 */
  darkLuminance?: number;
  /**
   * How far, in pixels, ink may lie outside the subject (α > 0.5) and still count as its outline; ink farther out is
   * dark background and is left alone. @default 2
   */
  nearPx?: number;
  /** Radius, in pixels, the outline mask is dilated by before it is set to α = 1 (covers anti-aliased rims). @default 1 */
  dilatePx?: number;
  /** Alpha, 0–1, above which a pixel is interior for the fill step. @default 160/255 */
  fillThreshold?: number;
  /** Alpha, 0–1, the closed interior is raised to at least. @default 220/255 */
  fillMinimum?: number;
  /** Radius, in pixels, of the morphological closing that bridges gaps in the interior. @default 3 */
  closingPx?: number;
}

/**
 * Outline protection for cartoons and line art, where matting models tend to cut into the black ink lines and leave
 * flat fills semi-transparent.
 *
 * (a) Outline: pixels darker than `darkLuminance` that lie within `nearPx` of the subject (α > 0.5), dilated by
 * `dilatePx`, are set to α = 1. (b) Fill: the region α > `fillThreshold` (after step a, so outlines help enclose
 * it) is closed with radius `closingPx`, and alpha there is raised to at least `fillMinimum`. Alpha never decreases.
 * All structuring elements are squares. As with OpenCV's closing, a subject closer than `closingPx` to the frame is
 * joined to it, so that thin strip of background is raised too.
 * @param image 3- or 4-channel RGB image (8-bit or float sRGB) the matte belongs to; a 4th channel is ignored.
 * @param alpha 1-channel matte of the same size.
 * @param out Optional 1-channel destination (may be `alpha` itself).
 * @returns The protected matte (`out` when given).
 */
export function protectOutlines(
  image: ImageBuffer,
  alpha: AlphaMatte,
  options: ProtectOutlinesOptions = {},
  out?: AlphaMatte,
): AlphaMatte {
  assertImage(image, 'image');
  if (image.channels !== 3 && image.channels !== 4) {
    throw new RangeError(expectation('3 or 4 channels', 'image', image.channels));
  }
  const { width, height } = image;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  const darkLuminance = options.darkLuminance ?? 80;
  const nearPx = radius(options.nearPx ?? 2, 'options.nearPx');
  const dilatePx = radius(options.dilatePx ?? 1, 'options.dilatePx');
  const closingPx = radius(options.closingPx ?? 3, 'options.closingPx');
  const fillThreshold = options.fillThreshold ?? 160 / 255;
  const fillMinimum = options.fillMinimum ?? 220 / 255;
  if (!(darkLuminance >= 0 && darkLuminance <= 255)) {
    throw new RangeError(expectation('a luma in [0, 255]', 'options.darkLuminance', darkLuminance));
  }
  for (const [name, value] of [['options.fillThreshold', fillThreshold], ['options.fillMinimum', fillMinimum]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(expectation('a number in [0, 1]', name, value));
  }
  const result = out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  const matte = result.data;
  if (result !== alpha) matte.set(alpha.data);

  // (a) Ink near the subject becomes opaque.
  const luma = toGray(image).data;
  const darkThreshold = darkLuminance / 255;
  const mask = createFloatImage(width, height, 1);
  for (let pixel = 0; pixel < matte.length; pixel++) mask.data[pixel] = matte[pixel]! > 0.5 ? 1 : 0;
  const near = nearPx > 0 ? dilate(mask, nearPx) : mask;
  for (let pixel = 0; pixel < matte.length; pixel++) {
    mask.data[pixel] = near.data[pixel]! > 0 && luma[pixel]! < darkThreshold ? 1 : 0;
  }
  const outline = dilatePx > 0 ? dilate(mask, dilatePx) : mask;
  for (let pixel = 0; pixel < matte.length; pixel++) if (outline.data[pixel]! > 0) matte[pixel] = 1;

  // (b) The closed interior is raised to at least fillMinimum.
  for (let pixel = 0; pixel < matte.length; pixel++) mask.data[pixel] = matte[pixel]! > fillThreshold ? 1 : 0;
  const interior = closingPx > 0 ? closing(mask, closingPx) : mask;
  for (let pixel = 0; pixel < matte.length; pixel++) {
    if (interior.data[pixel]! > 0 && matte[pixel]! < fillMinimum) matte[pixel] = fillMinimum;
  }
  return result;
}

function radius(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(expectation('a non-negative integer', name, value));
  return value;
}
