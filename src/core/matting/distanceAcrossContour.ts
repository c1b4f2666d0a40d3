import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { distanceTransform } from '../morphology/distanceTransform';
import { borrowFloatImage, openWorkingScope, withWorkingArrays } from '../workingArrays';

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
      const inside = borrowFloatImage(borrow, width, height);
      const outside = borrowFloatImage(borrow, width, height);
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
  const distances = result.data.fill(Infinity);
  const limit = maxDistance * maxDistance;
  // Distances are stamped already rooted (squared distances are small integers: a table), so no pass over the picture
  // takes the roots afterwards; the root grows with the square, so the nearest stays the nearest.
  const rootOf = Float32Array.from({ length: 2 * reach * reach + 1 }, (_, square) => Math.sqrt(square));
  for (let b = 0; b < boundary.length; b++) {
    const source = boundary[b]!;
    const sourceX = source % width, sourceY = (source - sourceX) / width;
    const isInside = data[source]! >= 0.5;
    const left = Math.max(-reach, -sourceX), right = Math.min(reach, width - 1 - sourceX);
    for (let dy = Math.max(-reach, -sourceY); dy <= Math.min(reach, height - 1 - sourceY); dy++) {
      const row = (sourceY + dy) * width + sourceX;
      for (let dx = left; dx <= right; dx++) {
        const square = dx * dx + dy * dy;
        if (square > limit) continue;
        const pixel = row + dx;
        const distance = rootOf[square]!;
        if (distance < distances[pixel]! && data[pixel]! >= 0.5 !== isInside) distances[pixel] = distance;
      }
    }
  }
  return result;
}

/**
 * Pixels with a 4-neighbour on the other side of α = 0.5. Each row's sides are read as bits once, and a pixel is on
 * the boundary where its bit differs from a neighbour's: integer tests instead of four float comparisons per pixel.
 */
function boundaryPixels(alpha: AlphaMatte): Int32Array {
  const { width, height, data } = alpha;
  const found: number[] = [];
  const { borrow, close } = openWorkingScope();
  try {
    // Three rows of sides (above, this, below), each padded with a copy of its end pixels so edges need no tests.
    const stride = width + 2;
    const sides = borrow(Uint8Array, 3 * stride);
    readSides(data, width, 0, sides, stride);
    sides.copyWithin(0, stride, 2 * stride); // above the first row: the row itself
    for (let y = 0; y < height; y++) {
      if (y + 1 < height) readSides(data, width, y + 1, sides, 2 * stride);
      else sides.copyWithin(2 * stride, stride, 2 * stride);
      for (let x = 0, at = stride + 1, pixel = y * width; x < width; x++, at++, pixel++) {
        const side = sides[at]!;
        if (((side ^ sides[at - 1]!) | (side ^ sides[at + 1]!) | (side ^ sides[at - stride]!) | (side ^ sides[at + stride]!)) !== 0) found.push(pixel);
      }
      sides.copyWithin(0, stride, 3 * stride); // this row moves up, the next into the middle
    }
  } finally {
    close();
  }
  return Int32Array.from(found);
}

/** Writes row `y`'s sides (1: α ≥ 0.5) into `sides` from `start + 1`, with each end pixel copied once beyond it. */
function readSides(data: Float32Array, width: number, y: number, sides: Uint8Array, start: number): void {
  for (let x = 0, from = y * width, to = start + 1; x < width; x++) sides[to + x] = data[from + x]! >= 0.5 ? 1 : 0;
  sides[start] = sides[start + 1]!;
  sides[start + width + 1] = sides[start + width]!;
}
