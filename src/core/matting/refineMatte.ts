import { boxBlur } from '../filters/boxBlur';
import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { dilate } from '../morphology/dilate';
import { distanceTransform } from '../morphology/distanceTransform';
import { labelComponents } from '../morphology/labelComponents';

/** The global edge refinements of a matte, as the sliders of an artist's "refine edge" panel. */
export interface RefineMatteOptions {
  /**
   * Rounds jagged contours: box blur of this radius, then a soft re-threshold at 0.5 that restores a ~2 px edge.
   * Fine strands thinner than the radius fade. Pixels; rounded to a whole radius. @default 0
   */
  readonly smoothPx?: number;
  /**
   * Moves the edge outwards (positive: disk dilation) or inwards (negative: Euclidean distance-based contraction that
   * follows the contour, without round blotches); pixels, fractional values blend. @default 0
   */
  readonly shiftEdgePx?: number;
  /** Steepens the alpha curve around 0.5, 0–100: slope `100 / (100 − contrast)`, 100 thresholds at 0.5. @default 0 */
  readonly contrast?: number;
  /**
   * Softens the edge with a Gaussian of this standard deviation (three box passes); a hard edge's 10–90 % ramp
   * becomes about 2.6 × featherPx wide. Pixels. @default 0
   */
  readonly featherPx?: number;
}

/**
 * Applies the global refinements in the order artists expect: smooth → shift edge → contrast → feather. With every
 * option at 0 the matte is returned unchanged (copied into `out` if given).
 * @param alpha One-channel matte in [0, 1].
 * @param options Refinement amounts.
 * @param out Optional destination of the same size; may be `alpha`.
 * @returns `out`, or a new matte in [0, 1].
 */
export function refineMatte(alpha: AlphaMatte, options: RefineMatteOptions = {}, out?: AlphaMatte): AlphaMatte {
  assertImage(alpha, 'alpha', { channels: 1 });
  const { width, height } = alpha;
  const smoothPx = checked(options.smoothPx ?? 0, 'smoothPx', 0, Infinity);
  const shiftEdgePx = checked(options.shiftEdgePx ?? 0, 'shiftEdgePx', -Infinity, Infinity);
  const contrast = checked(options.contrast ?? 0, 'contrast', 0, 100);
  const featherPx = checked(options.featherPx ?? 0, 'featherPx', 0, Infinity);
  const result = out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  if (result.data !== alpha.data) result.data.set(alpha.data);
  const values = result.data;
  const smoothRadius = Math.round(smoothPx);
  if (smoothRadius > 0) {
    boxBlur(result, { radiusPx: smoothRadius }, result);
    const halfWindow = 1 / (2 * smoothRadius + 1);
    for (let pixel = 0; pixel < values.length; pixel++) {
      const t = clamp((values[pixel]! - 0.5 + halfWindow) / (2 * halfWindow));
      values[pixel] = t * t * (3 - 2 * t);
    }
  }
  if (shiftEdgePx !== 0) shiftEdge(result, shiftEdgePx);
  if (contrast > 0) {
    const slope = contrast >= 100 ? Infinity : 100 / (100 - contrast);
    for (let pixel = 0; pixel < values.length; pixel++) {
      const centred = values[pixel]! - 0.5;
      values[pixel] = centred === 0 ? 0.5 : clamp(centred * slope + 0.5);
    }
  }
  if (featherPx > 0) {
    for (const size of gaussianBoxSizes(featherPx)) if (size > 1) boxBlur(result, { widthPx: size }, result);
    // The box blur's running sums leave rounding residue (−6e−18 where a window has just emptied of a near-1 value):
    // a matte stays in [0, 1].
    for (let pixel = 0; pixel < values.length; pixel++) values[pixel] = clamp(values[pixel]!);
  }
  return result;
}

/**
 * Moves the edge in place. Outwards: disk dilation, blending the two nearest whole radii for fractional shifts.
 * Inwards: distance-based contraction, α' = α · clamp(max(D, 1) − distance), where D is the exact Euclidean distance
 * to the background (α < 0.5); background specks smaller than the shift's disk (π·distance² pixels, not touching the frame) are not
 * background here, so a stray low pixel inside the subject cannot grow into a round hole.
 */
function shiftEdge(matte: FloatImage, shiftEdgePx: number): void {
  const distance = Math.abs(shiftEdgePx);
  if (shiftEdgePx < 0) {
    const values = matte.data;
    const background = createFloatImage(matte.width, matte.height, 1);
    for (let pixel = 0; pixel < values.length; pixel++) background.data[pixel] = values[pixel]! < 0.5 ? 1 : 0;
    const { labels, areas } = labelComponents(background);
    const minimumArea = Math.PI * distance * distance;
    const { width, height } = matte;
    for (let pixel = 0; pixel < values.length; pixel++) {
      const x = pixel % width;
      if (x === 0 || x === width - 1 || pixel < width || pixel >= width * (height - 1)) areas[labels[pixel]!] = Infinity; // touches the frame
    }
    for (let pixel = 0; pixel < values.length; pixel++) if (labels[pixel]! > 0 && areas[labels[pixel]!]! < minimumArea) background.data[pixel] = 0;
    const toBackground = distanceTransform(background, { out: background });
    for (let pixel = 0; pixel < values.length; pixel++) values[pixel] = values[pixel]! * clamp(Math.max(toBackground.data[pixel]!, 1) - distance);
    return;
  }
  const whole = Math.floor(distance);
  const fraction = distance - whole;
  const lower = whole > 0 ? dilate(matte, { radiusPx: whole, shape: 'disk' }) : matte;
  if (fraction === 0) {
    matte.data.set(lower.data);
    return;
  }
  const upper = dilate(matte, { radiusPx: whole + 1, shape: 'disk' });
  for (let pixel = 0; pixel < matte.data.length; pixel++) {
    matte.data[pixel] = lower.data[pixel]! + fraction * (upper.data[pixel]! - lower.data[pixel]!);
  }
}

/** Widths of three odd boxes whose successive blurs approximate a Gaussian of standard deviation `sigma`. */
function gaussianBoxSizes(sigma: number): number[] {
  const ideal = Math.sqrt(4 * sigma * sigma + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const lowerCount = Math.round((12 * sigma * sigma - 3 * lower * lower - 12 * lower - 9) / (-4 * lower - 4));
  return [0, 1, 2].map((index) => (index < lowerCount ? lower : upper));
}

function clamp(value: number): number {
  return value <= 0 ? 0 : value >= 1 ? 1 : value;
}

function checked(value: number, name: string, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum || value > maximum) {
    const range = maximum === Infinity ? (minimum === 0 ? 'a finite number ≥ 0' : 'a finite number') : `a number in [${minimum}, ${maximum}]`;
    throw new RangeError(expectation(range, name, value));
  }
  return value;
}
