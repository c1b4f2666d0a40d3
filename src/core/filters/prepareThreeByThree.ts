import { assertImage, createFloatImage, type FloatImage } from '../imageTypes';
import { reflectIndexMap } from './reflectIndex';

/** What a 3×3 filter loop needs: where to read, where to write, and the border maps. */
export interface ThreeByThreeSetup {
  width: number;
  height: number;
  result: FloatImage;
  /** The input samples; a copy when the caller filters in place (`out` is the input). */
  source: Float32Array;
  target: Float32Array;
  /** Reflect-101 column sources: the window of column `x` is entries `x … x + 2`. */
  mapX: Int32Array;
  /** Reflect-101 row sources: the window of row `y` is entries `y … y + 2`. */
  mapY: Int32Array;
}

/**
 * The shared preamble of the 3×3 filters (Sobel, Laplacian): checks the one-channel input and output, allocates the
 * output when none is given, copies the input when filtering in place, and builds `BORDER_REFLECT_101` maps.
 * @param gray One-channel float image.
 * @param out Optional one-channel destination of the same size; may be `gray`.
 */
export function prepareThreeByThree(gray: FloatImage, out?: FloatImage): ThreeByThreeSetup {
  assertImage(gray, 'gray', { channels: 1 });
  const { width, height } = gray;
  const result = out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  const source = result.data === gray.data ? gray.data.slice() : gray.data;
  return { width, height, result, source, target: result.data, mapX: reflectIndexMap(width, 3, 1), mapY: reflectIndexMap(height, 3, 1) };
}
