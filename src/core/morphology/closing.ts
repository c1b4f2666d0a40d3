import { assertImage, type FloatImage } from '../imageTypes';
import { dilate, type DilateOptions } from './dilate';
import { erode } from './erode';

/** Options for {@link closing}. */
export type ClosingOptions = DilateOptions;

/**
 * Morphological closing, dilation then erosion with the same structuring element: fills holes and gaps narrower
 * than the element and joins nearby parts while keeping outlines in place. Extensive (never darkens) and
 * idempotent, since pixels outside the image are ignored by both steps; as with OpenCV, shapes closer to the
 * frame than the radius are joined to it.
 * @param image Float image (usually a matte or a 0/1 mask).
 * @param options Radius and shape, or just the radius in pixels (square).
 * @param out Optional destination of the same shape; may be `image`.
 * @returns `out`, or a new image.
 */
export function closing(image: FloatImage, options: ClosingOptions | number, out?: FloatImage): FloatImage {
  assertImage(image, 'image');
  return erode(dilate(image, options), options, out);
}
