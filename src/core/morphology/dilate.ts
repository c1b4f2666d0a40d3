import type { FloatImage } from '../imageTypes';
import { extremumFilter, type StructuringShape } from './extremumFilter';

/** Options for {@link dilate}. */
export interface DilateOptions {
  /** Reach of the structuring element from its centre in pixels, a non-negative integer (0 copies). */
  readonly radiusPx: number;
  /** Square (fast, O(1) per pixel) or disk (rounder, O(radius) per pixel). @default 'square' */
  readonly shape?: StructuringShape;
}

/**
 * Dilation: each sample becomes the maximum over the structuring element around it, so bright areas grow by
 * `radiusPx`. Works on float images with any channel count; pixels outside the image are ignored.
 * @param image Float image (usually a matte or a 0/1 mask).
 * @param options Radius and shape, or just the radius in pixels (square).
 * @param out Optional destination of the same shape; may be `image`.
 * @returns `out`, or a new image.
 */
export function dilate(image: FloatImage, options: DilateOptions | number, out?: FloatImage): FloatImage {
  const { radiusPx, shape } = typeof options === 'number' ? { radiusPx: options, shape: undefined } : options;
  return extremumFilter(image, { radiusPx, shape: shape ?? 'square', operation: 'max' }, out);
}
