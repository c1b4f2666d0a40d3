import type { FloatImage } from '../imageTypes';
import { prepareThreeByThree } from './prepareThreeByThree';

/**
 * Gradient magnitude `sqrt(gx² + gy²)` of a one-channel image from 3×3 Sobel derivatives, as
 * `cv2.magnitude(cv2.Sobel(gray, CV_32F, 1, 0), cv2.Sobel(gray, CV_32F, 0, 1))` (unscaled kernels
 * `[-1 0 1; -2 0 2; -1 0 1]` and its transpose, `BORDER_REFLECT_101`). A unit step therefore gives 4.
 * @param gray One-channel float image.
 * @param out Optional one-channel destination of the same size; must not be `gray`.
 * @returns `out`, or a new image.
 */
export function sobelMagnitude(gray: FloatImage, out?: FloatImage): FloatImage {
  const { width, height, result, source, target, mapX, mapY } = prepareThreeByThree(gray, out);
  for (let y = 0; y < height; y++) {
    const above = mapY[y]! * width;
    const middle = y * width;
    const below = mapY[y + 2]! * width;
    for (let x = 0; x < width; x++) {
      const left = mapX[x]!;
      const right = mapX[x + 2]!;
      const topLeft = source[above + left]!;
      const topRight = source[above + right]!;
      const bottomLeft = source[below + left]!;
      const bottomRight = source[below + right]!;
      const gx = topRight - topLeft + 2 * (source[middle + right]! - source[middle + left]!) + bottomRight - bottomLeft;
      const gy = bottomLeft - topLeft + 2 * (source[below + x]! - source[above + x]!) + bottomRight - topRight;
      target[middle + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return result;
}
