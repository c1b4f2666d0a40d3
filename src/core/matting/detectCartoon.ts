import { sobelMagnitude } from '../filters/sobel';
import { toGray } from '../filters/toGray';
import { assertImage, expectation, type FloatImage, type ImageBuffer } from '../imageTypes';
import { borrowFloatImage, withWorkingArrays } from '../workingArrays';

/** Options of {@link detectCartoon}. */
export interface DetectCartoonOptions {
  /**
   * Longest side, in pixels, the image is reduced to (integer-factor block average) before measuring, so features
   * do not depend on resolution and large frames stay cheap. @default 1024
   */
  workingSizePx?: number;
  /** Score, 0–1, at or above which the image counts as a cartoon. @default 0.45 */
  threshold?: number;
}

/** Measurements behind a {@link CartoonDetection}; all are fractions 0–1. */
export interface CartoonFeatures {
  /** Share of pixels with a strong Sobel magnitude (> 1, i.e. a luma step of about 64/255; a unit step gives 4). */
  edgeDensity: number;
  /** Share of strong edges among all edges (magnitude > 0.1, about a 6/255 step): drawn outlines are hard, photo edges soft. */
  edgeSharpness: number;
  /** Share of pixels covered by the 8 most frequent colours quantised to 4 bits per channel. */
  colorSimplicity: number;
  /** Share of pixels with luma below 80/255. Reported for diagnostics; not weighted (see {@link detectCartoon}). */
  darkShare: number;
}

/** Result of {@link detectCartoon}. */
export interface CartoonDetection {
  /** `score >= threshold`. */
  isCartoon: boolean;
  /** Cartoon likelihood, 0–1 (a weighted sum, not a probability). */
  score: number;
  /** The measurements the score was built from. */
  features: CartoonFeatures;
}

const STRONG_EDGE = 1;
const ANY_EDGE = 0.1;
const DARK_LUMA = 80 / 255;
const QUANTIZATION_LEVELS = 16;
const TOP_COLORS = 8;

/**
 * Decides whether an image is a cartoon or line art (flat fills, hard dark outlines) rather than a photo, so the
 * studio can switch on outline protection.
 *
 * score = 0.55 · clamp((edgeSharpness − 0.05) / 0.25) + 0.25 · clamp(edgeDensity / 0.1) + 0.2 · colorSimplicity.
 * Calibrated on the fixtures (cartoons and painted game portraits 0.50–1.0, photos 0.09–0.37; threshold 0.45).
 * Dark share is reported but not weighted: it did not separate the sets (a dark-suited photo 0.56, an anime
 * painting 0.42). A fourth (alpha) channel is honoured by compositing over white, as the calibration did.
 * @param image 3- or 4-channel image, 8-bit or float sRGB.
 */
export function detectCartoon(image: ImageBuffer, options: DetectCartoonOptions = {}): CartoonDetection {
  assertImage(image, 'image');
  if (image.channels !== 3 && image.channels !== 4) {
    throw new RangeError(expectation('3 or 4 channels', 'image', image.channels));
  }
  const workingSizePx = options.workingSizePx ?? 1024;
  const threshold = options.threshold ?? 0.45;
  if (!Number.isInteger(workingSizePx) || workingSizePx < 8) {
    throw new RangeError(expectation('an integer of at least 8', 'options.workingSizePx', workingSizePx));
  }
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(expectation('a number in [0, 1]', 'options.threshold', threshold));

  // The three working planes (about 10 MB at 1080p) are borrowed from the thread's working arrays (`workingArrays.ts`).
  return withWorkingArrays((borrow) => {
    const factor = Math.ceil(Math.max(image.width, image.height) / workingSizePx);
    const outWidth = Math.max(1, Math.floor(image.width / factor));
    const outHeight = Math.max(1, Math.floor(image.height / factor));
    const working = reduceOverWhite(image, factor, borrowFloatImage(borrow, outWidth, outHeight, 3));
    const gray = toGray(working, borrowFloatImage(borrow, outWidth, outHeight));
    const magnitude = sobelMagnitude(gray, borrowFloatImage(borrow, outWidth, outHeight));
    return measure(working, gray, magnitude, threshold);
  });
}

/** The features and the weighted score of one reduced picture. */
function measure(working: FloatImage, gray: FloatImage, magnitude: FloatImage, threshold: number): CartoonDetection {
  const pixels = gray.data.length;
  let strong = 0;
  let edges = 0;
  let dark = 0;
  for (let pixel = 0; pixel < pixels; pixel++) {
    const value = magnitude.data[pixel]!;
    if (value > ANY_EDGE) edges++;
    if (value > STRONG_EDGE) strong++;
    if (gray.data[pixel]! < DARK_LUMA) dark++;
  }
  const features: CartoonFeatures = {
    edgeDensity: strong / pixels,
    edgeSharpness: edges === 0 ? 0 : strong / edges,
    colorSimplicity: topColorShare(working),
    darkShare: dark / pixels,
  };
  const score =
    0.55 * clamp01((features.edgeSharpness - 0.05) / 0.25) +
    0.25 * clamp01(features.edgeDensity / 0.1) +
    0.2 * features.colorSimplicity;
  return { isCartoon: score >= threshold, score, features };
}

/** Block-averages by an integer factor into `result` (float RGB), compositing straight alpha over white. */
function reduceOverWhite(image: ImageBuffer, factor: number, result: FloatImage): FloatImage {
  const { width, height, channels, data } = image;
  const { width: outWidth, height: outHeight } = result;
  const scale = data instanceof Float32Array ? 1 : 1 / 255;
  for (let outY = 0, target = 0; outY < outHeight; outY++) {
    const yEnd = Math.min(height, (outY + 1) * factor);
    for (let outX = 0; outX < outWidth; outX++, target += 3) {
      const xEnd = Math.min(width, (outX + 1) * factor);
      let red = 0;
      let green = 0;
      let blue = 0;
      let count = 0;
      for (let y = outY * factor; y < yEnd; y++) {
        for (let x = outX * factor, source = (y * width + x) * channels; x < xEnd; x++, source += channels) {
          const coverage = channels === 4 ? data[source + 3]! * scale : 1;
          red += coverage * data[source]! * scale + 1 - coverage;
          green += coverage * data[source + 1]! * scale + 1 - coverage;
          blue += coverage * data[source + 2]! * scale + 1 - coverage;
          count++;
        }
      }
      result.data[target] = red / count;
      result.data[target + 1] = green / count;
      result.data[target + 2] = blue / count;
    }
  }
  return result;
}

/** Share of pixels in the {@link TOP_COLORS} most frequent 4-bit-per-channel colours. */
function topColorShare(image: FloatImage): number {
  const histogram = new Uint32Array(QUANTIZATION_LEVELS ** 3);
  const maxLevel = QUANTIZATION_LEVELS - 1;
  const { data } = image;
  for (let index = 0; index < data.length; index += 3) {
    const red = Math.max(0, Math.min(maxLevel, (data[index]! * QUANTIZATION_LEVELS) | 0));
    const green = Math.max(0, Math.min(maxLevel, (data[index + 1]! * QUANTIZATION_LEVELS) | 0));
    const blue = Math.max(0, Math.min(maxLevel, (data[index + 2]! * QUANTIZATION_LEVELS) | 0));
    histogram[(red * QUANTIZATION_LEVELS + green) * QUANTIZATION_LEVELS + blue]!++;
  }
  histogram.sort();
  let covered = 0;
  for (let rank = 1; rank <= TOP_COLORS; rank++) covered += histogram[histogram.length - rank]!;
  return covered / (data.length / 3);
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
