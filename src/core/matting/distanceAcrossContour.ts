import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { distanceTransform } from '../morphology/distanceTransform';
import { withWorkingArrays } from '../workingArrays';

/**
 * For every pixel, the Euclidean distance in pixels to the nearest pixel on the other side of the α = 0.5 contour
 * (α ≥ 0.5 is inside), exact up to `maxDistance` and `Infinity` beyond it (and where the other side is empty).
 *
 * The nearest pixel of the other side always lies on that side's boundary (a step from it towards the pixel is closer
 * and so must be on the pixel's side), so for a narrow band it is enough to stamp a disc of `maxDistance` around each
 * boundary pixel: about boundary × π·maxDistance² steps, against the two whole-picture distance transforms (about
 * 4 × pixels steps, with column passes that miss the cache) used when those are cheaper, e.g. for a wide band.
 * @param out Optional one-channel destination of the matte's size (any contents).
 */
export function distanceAcrossContour(alpha: AlphaMatte, maxDistance: number, out?: FloatImage): FloatImage {
  const { width, height, data } = alpha;
  if (!(maxDistance >= 0)) throw new RangeError(expectation('a number ≥ 0', 'maxDistance', maxDistance));
  const boundary = boundaryPixels(alpha);
  const reach = Math.floor(maxDistance);
  const discArea = (2 * reach + 1) ** 2;
  const result = out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  if (boundary.length * discArea > 4 * width * height) {
    // The two sides' distance planes are borrowed from the thread's working arrays (`workingArrays.ts`).
    return withWorkingArrays((borrow) => {
      const inside: FloatImage = { width, height, channels: 1, data: borrow(Float32Array, width * height) };
      const outside: FloatImage = { width, height, channels: 1, data: borrow(Float32Array, width * height) };
      for (let pixel = 0; pixel < data.length; pixel++) inside.data[pixel] = 1 - (outside.data[pixel] = data[pixel]! >= 0.5 ? 0 : 1);
      distanceTransform(inside, { out: inside });
      distanceTransform(outside, { out: outside });
      for (let pixel = 0; pixel < data.length; pixel++) {
        const distance = Math.max(inside.data[pixel]!, outside.data[pixel]!);
        result.data[pixel] = distance <= maxDistance ? distance : Infinity;
      }
      return result;
    });
  }
  const squared = result.data.fill(Infinity);
  const limit = maxDistance * maxDistance;
  for (let b = 0; b < boundary.length; b++) {
    const source = boundary[b]!;
    const sourceX = source % width, sourceY = (source - sourceX) / width;
    const isInside = data[source]! >= 0.5;
    for (let dy = Math.max(-reach, -sourceY); dy <= Math.min(reach, height - 1 - sourceY); dy++) {
      const row = (sourceY + dy) * width;
      for (let dx = Math.max(-reach, -sourceX); dx <= Math.min(reach, width - 1 - sourceX); dx++) {
        const distance = dx * dx + dy * dy;
        if (distance > limit) continue;
        const pixel = row + sourceX + dx;
        if (data[pixel]! >= 0.5 !== isInside && distance < squared[pixel]!) squared[pixel] = distance;
      }
    }
  }
  for (let pixel = 0; pixel < squared.length; pixel++) squared[pixel] = Math.sqrt(squared[pixel]!);
  return result;
}

/** Pixels with a 4-neighbour on the other side of α = 0.5. */
function boundaryPixels(alpha: AlphaMatte): Int32Array {
  const { width, height, data } = alpha;
  const found: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = y * width + x;
      const isInside = data[pixel]! >= 0.5;
      if ((x > 0 && data[pixel - 1]! >= 0.5 !== isInside) || (x < width - 1 && data[pixel + 1]! >= 0.5 !== isInside)
        || (y > 0 && data[pixel - width]! >= 0.5 !== isInside) || (y < height - 1 && data[pixel + width]! >= 0.5 !== isInside)) found.push(pixel);
    }
  }
  return Int32Array.from(found);
}
