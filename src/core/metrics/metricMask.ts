import { assertImage, type ImageBuffer, type PixelArray } from '../imageTypes';

/** Restriction shared by the metrics. */
export interface MetricMaskOptions {
  /**
   * One-channel image of the same size; only pixels where it is non-zero are counted (for the matting benchmarks,
   * the trimap's unknown region, see `trimapUnknownRegion`). @default every pixel
   */
  readonly mask?: ImageBuffer;
}

/**
 * Validates an optional metric mask against the image size and returns its samples (`undefined`: count all pixels).
 * @param mask The mask option, if any.
 * @param width Width the mask must have.
 * @param height Height the mask must have.
 */
export function maskSamples(mask: ImageBuffer | undefined, width: number, height: number): PixelArray | undefined {
  if (mask === undefined) return undefined;
  assertImage(mask, 'options.mask', { channels: 1, width, height });
  return mask.data;
}
