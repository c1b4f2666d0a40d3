import type { FloatImage } from '../imageTypes';
import { extremumFilter, type StructuringShape } from './extremumFilter';

/** Options for {@link erode}. */
export interface ErodeOptions {
  /** Reach of the structuring element from its centre in pixels, a non-negative integer (0 copies). */
  readonly radiusPx: number;
  /** Square (fast, O(1) per pixel) or disk (rounder, O(radius) per pixel). @default 'square' */
  readonly shape?: StructuringShape;
}

/**
 * Erosion: each sample becomes the minimum over the structuring element around it, so bright areas shrink by
 * `radiusPx`. Works on float images with any channel count; pixels outside the image are ignored.
 * @param image Float image (usually a matte or a 0/1 mask).
 * @param options Radius and shape, or just the radius in pixels (square).
 * @param out Optional destination of the same shape; may be `image`.
 * @returns `out`, or a new image.
 */
export function erode(image: FloatImage, options: ErodeOptions | number, out?: FloatImage): FloatImage {
  const { radiusPx, shape } = typeof options === 'number' ? { radiusPx: options, shape: undefined } : options;
  return extremumFilter(image, { radiusPx, shape: shape ?? 'square', operation: 'min' }, out);
}
