import { assertImage, createFloatImage, expectation, type FloatImage, type ImageBuffer } from '../imageTypes';

/** Options of {@link distanceTransform}. */
export interface DistanceTransformOptions {
  /** A pixel is a feature (distance 0) when its value is above this. @default 0.5 */
  threshold?: number;
  /** Optional 1-channel float destination of the image's size. */
  out?: FloatImage;
}

/** Stand-in for "no feature in this line", larger than any squared distance an image can hold. */
const FAR = 1e20;

/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, lower envelope of parabolas): for every pixel,
 * the distance in pixels to the nearest feature pixel (value > `threshold`); 0 on features, `Infinity` everywhere
 * when there is no feature. Two separable 1-D passes, O(pixels); scratch is allocated once per call.
 * Matches OpenCV's `cv2.distanceTransform(…, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)` on the complement mask.
 * @param image 1-channel image (8-bit or float).
 * @param options Feature threshold and destination.
 * @returns Distances in pixels (`options.out` when given).
 */
export function distanceTransform(image: ImageBuffer, options: DistanceTransformOptions = {}): FloatImage {
  assertImage(image, 'image', { channels: 1 });
  const { width, height, data } = image;
  const threshold = options.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) throw new RangeError(expectation('a finite number', 'options.threshold', threshold));
  const result = options.out ?? createFloatImage(width, height, 1);
  assertImage(result, 'out', { channels: 1, width, height });
  const squared = new Float64Array(width * height);
  for (let pixel = 0; pixel < squared.length; pixel++) squared[pixel] = data[pixel]! > threshold ? 0 : FAR;
  const longest = Math.max(width, height);
  const line = new Float64Array(longest);
  const transformed = new Float64Array(longest);
  const vertices = new Int32Array(longest);
  const bounds = new Float64Array(longest + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = squared[y * width + x]!;
    transformLine(line, height, transformed, vertices, bounds);
    for (let y = 0; y < height; y++) squared[y * width + x] = transformed[y]!;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = squared[row + x]!;
    transformLine(line, width, transformed, vertices, bounds);
    for (let x = 0; x < width; x++) {
      const value = transformed[x]!;
      result.data[row + x] = value >= FAR / 2 ? Infinity : Math.sqrt(value);
    }
  }
  return result;
}

/** 1-D squared distance transform of `source[0..length)` into `target` (lower envelope of parabolas). */
function transformLine(source: Float64Array, length: number, target: Float64Array, vertices: Int32Array, bounds: Float64Array): void {
  let count = 0;
  vertices[0] = 0;
  bounds[0] = -Infinity;
  bounds[1] = Infinity;
  for (let q = 1; q < length; q++) {
    const value = source[q]! + q * q;
    let vertex = vertices[count]!;
    let intersection = (value - (source[vertex]! + vertex * vertex)) / (2 * (q - vertex));
    // bounds[0] is −∞, so count never goes below 0.
    while (intersection <= bounds[count]!) {
      count--;
      vertex = vertices[count]!;
      intersection = (value - (source[vertex]! + vertex * vertex)) / (2 * (q - vertex));
    }
    count++;
    vertices[count] = q;
    bounds[count] = intersection;
    bounds[count + 1] = Infinity;
  }
  for (let q = 0, index = 0; q < length; q++) {
    while (bounds[index + 1]! < q) index++;
    const offset = q - vertices[index]!;
    target[q] = offset * offset + source[vertices[index]!]!;
  }
}
