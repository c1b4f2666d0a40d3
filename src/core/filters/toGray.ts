import { assertImage, createFloatImage, expectation, type FloatImage, type ImageBuffer } from '../imageTypes';

/** Rec.601 luma weights used by `cv2.cvtColor(…, COLOR_RGB2GRAY)`. */
const RED_WEIGHT = 0.299;
const GREEN_WEIGHT = 0.587;
const BLUE_WEIGHT = 0.114;

/**
 * Grey (luma) image from an RGB or RGBA image: `0.299·R + 0.587·G + 0.114·B` on the sRGB-encoded values, as
 * `cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)` on float input. Alpha, if present, is ignored. 8-bit input is scaled to
 * [0, 1] first and the result is not rounded to 8 bits.
 * @param rgb 3- or 4-channel image, 8-bit or float.
 * @param out Optional one-channel float destination of the same size.
 * @returns `out`, or a new one-channel image in [0, 1].
 */
export function toGray(rgb: ImageBuffer, out?: FloatImage): FloatImage {
  assertImage(rgb, 'rgb');
  if (rgb.channels !== 3 && rgb.channels !== 4) {
    throw new RangeError(expectation('3 or 4 channels', 'rgb', rgb.channels));
  }
  const { width, height, channels } = rgb;
  const result = out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  const scale = rgb.data instanceof Float32Array ? 1 : 1 / 255;
  const red = RED_WEIGHT * scale;
  const green = GREEN_WEIGHT * scale;
  const blue = BLUE_WEIGHT * scale;
  const source = rgb.data;
  const target = result.data;
  for (let pixel = 0, index = 0; pixel < target.length; pixel++, index += channels) {
    target[pixel] = red * source[index]! + green * source[index + 1]! + blue * source[index + 2]!;
  }
  return result;
}
