import type { FloatImage } from '../imageTypes';
import { prepareThreeByThree } from './prepareThreeByThree';

/** Options for {@link laplacian}. */
export interface LaplacianOptions {
  /** Return `|∇²I|` instead of the signed response (edges and texture as a non-negative map). @default false */
  readonly isAbsolute?: boolean;
}

/**
 * 3×3 Laplacian `[0 1 0; 1 −4 1; 0 1 0]` of a one-channel image with `BORDER_REFLECT_101` borders, as
 * `cv2.Laplacian(gray, CV_32F)` (its default `ksize=1`).
 * @param gray One-channel float image.
 * @param options Whether to take the absolute value.
 * @param out Optional one-channel destination of the same size; may be `gray`.
 * @returns `out`, or a new image.
 */
export function laplacian(gray: FloatImage, options: LaplacianOptions = {}, out?: FloatImage): FloatImage {
  const isAbsolute = options.isAbsolute ?? false;
  const { width, height, result, source, target, mapX, mapY } = prepareThreeByThree(gray, out);
  for (let y = 0; y < height; y++) {
    const above = mapY[y]! * width;
    const middle = y * width;
    const below = mapY[y + 2]! * width;
    for (let x = 0; x < width; x++) {
      const centre = source[middle + x]!;
      const response = source[above + x]! + source[below + x]! + source[middle + mapX[x]!]! +
        source[middle + mapX[x + 2]!]! - 4 * centre;
      target[middle + x] = isAbsolute ? Math.abs(response) : response;
    }
  }
  return result;
}
