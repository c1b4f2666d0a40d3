import { boxBlur } from '../filters/boxBlur';
import { assertImage, expectation, type AlphaMatte, type ImageBuffer } from '../imageTypes';
import { distanceAcrossContour } from './distanceAcrossContour';
import { borrowFloatImage, openWorkingScope } from '../workingArrays';

/** Trimap values of {@link edgeBandTrimap}, as in the DIM and alphamatting.com trimaps. */
export const TRIMAP_BACKGROUND = 0;
export const TRIMAP_UNKNOWN = 128;
export const TRIMAP_FOREGROUND = 255;

/** Options of {@link edgeBandTrimap}. */
export interface EdgeBandTrimapOptions {
  /** Photoshop's Radius: half-width in pixels of the unknown band around the matte's edge (the α = 0.5 contour). @default 8 */
  radiusPx?: number;
  /**
   * Photoshop's Smart Radius: the band keeps the full radius where the edge is soft (hair, fur: many partly transparent
   * pixels within the radius) and narrows to `minimumRadiusPx` where it is hard, so crisp edges are not re-solved.
   * @default true
   */
  isSmartRadius?: boolean;
  /** Narrowest band half-width in pixels with Smart Radius. @default 2 */
  minimumRadiusPx?: number;
  /** α within this of 0 or 1 counts as decided; any α in between is always unknown. @default 0.05 */
  margin?: number;
  /** Destination of the matte's size (any contents); a new trimap otherwise. */
  out?: ImageBuffer<Uint8Array>;
}

/** Default of {@link EdgeBandTrimapOptions.margin}: α within this of 0 or 1 counts as decided. */
export const DECIDED_ALPHA_MARGIN = 0.05;

/** Share of partly transparent pixels around an edge at which Smart Radius uses the full radius. */
const SOFT_SHARE_FOR_FULL_RADIUS = 0.25;

/**
 * A trimap from a matte, for re-solving alpha in a band around its edge: unknown (128) where the pixel lies within the
 * band's radius of the α = 0.5 contour or has margin < α < 1 − margin; foreground (255) or background (0) elsewhere,
 * by α ≥ 0.5. With Smart Radius the radius at a pixel is `minimumRadiusPx + (radiusPx − minimumRadiusPx) ·
 * clamp(share / 0.25)`, where share is the box-averaged share of partly transparent pixels in a (2·radiusPx + 1)²
 * window. Distances are exact Euclidean ({@link distanceAcrossContour}).
 * @param alpha 1-channel matte.
 * @param options Radius and Smart Radius.
 * @returns 1-channel 8-bit trimap of the matte's size (`options.out` when given).
 */
export function edgeBandTrimap(alpha: AlphaMatte, options: EdgeBandTrimapOptions = {}): ImageBuffer<Uint8Array> {
  assertImage(alpha, 'alpha', { channels: 1 });
  const { width, height, data } = alpha;
  const radiusPx = options.radiusPx ?? 8;
  const minimumRadiusPx = Math.min(options.minimumRadiusPx ?? 2, radiusPx);
  const isSmartRadius = options.isSmartRadius ?? true;
  const margin = options.margin ?? DECIDED_ALPHA_MARGIN;
  if (!(radiusPx >= 0 && Number.isFinite(radiusPx))) throw new RangeError(expectation('a finite number ≥ 0', 'options.radiusPx', radiusPx));
  if (!(minimumRadiusPx >= 0)) throw new RangeError(expectation('a number ≥ 0', 'options.minimumRadiusPx', minimumRadiusPx));
  if (!(margin >= 0 && margin < 0.5)) throw new RangeError(expectation('a number in [0, 0.5)', 'options.margin', margin));
  // The planes are borrowed from the thread's working arrays (`workingArrays.ts`); only the trimap is new.
  const { borrow, close } = openWorkingScope();
  try {
    const plane = () => borrowFloatImage(borrow, width, height); // each written in full
    const soft = plane();
    for (let pixel = 0; pixel < data.length; pixel++) soft.data[pixel] = data[pixel]! > margin && data[pixel]! < 1 - margin ? 1 : 0;
    // Only distances up to the band's edge matter: farther pixels are decided by their side alone.
    const acrossContour = distanceAcrossContour(alpha, radiusPx + 0.5, plane());
    const share = isSmartRadius && radiusPx >= 1 ? boxBlur(soft, { radiusPx: Math.round(radiusPx) }, plane()) : undefined;
    const result = options.out ?? { width, height, channels: 1, data: new Uint8Array(data.length) };
    assertImage(result, 'out', { channels: 1, width, height });
    const trimap = result.data;
    for (let pixel = 0; pixel < data.length; pixel++) {
      const value = data[pixel]!;
      // Distance to the contour: half a pixel less than the distance to the nearest pixel on its other side.
      const fromContour = acrossContour.data[pixel]! - 0.5;
      const radius = share === undefined ? radiusPx : minimumRadiusPx + (radiusPx - minimumRadiusPx) * Math.min(1, share.data[pixel]! / SOFT_SHARE_FOR_FULL_RADIUS);
      if (soft.data[pixel] === 1 || fromContour <= radius) trimap[pixel] = TRIMAP_UNKNOWN;
      else trimap[pixel] = value >= 0.5 ? TRIMAP_FOREGROUND : TRIMAP_BACKGROUND;
    }
    return result;
  } finally {
    close();
  }
}
