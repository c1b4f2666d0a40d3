import { assertDimensions, assertImage, createFloatImage, type FloatImage, type ImageBuffer } from '../imageTypes';

/** Source taps of one output coordinate: the lower neighbour and the weight of the upper one. */
export interface AxisTaps {
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly weight: Float32Array;
}

/**
 * Bilinear resize with pixel-centre alignment, as `cv2.resize(src, (width, height), interpolation=INTER_LINEAR)` on
 * float input: output pixel `d` samples source position `(d + 0.5)·scale − 0.5`, clamped to the edge pixels.
 * Meant for upsampling (mattes, guided-filter coefficients); downscaling by more than 2× aliases, use
 * {@link resizeArea} there. (OpenCV switches to area averaging for exact 2× downscales; this function does not.)
 * 8-bit input is scaled to [0, 1].
 * @param image Source with any channel count.
 * @param width Output width in pixels.
 * @param height Output height in pixels.
 * @param out Optional destination with the same channel count.
 * @returns `out`, or a new float image.
 */
export function resizeBilinear(image: ImageBuffer, width: number, height: number, out?: FloatImage): FloatImage {
  assertImage(image, 'image');
  assertDimensions(width, height, 'resizeBilinear');
  const { channels } = image;
  const result = out ?? createFloatImage(width, height, channels);
  assertImage(result, 'out', { channels, width, height });
  const source = result.data === image.data ? image.data.slice() : image.data;
  const target = result.data;
  const unit = image.data instanceof Float32Array ? 1 : 1 / 255;
  const columns = axisTaps(image.width, width);
  const rows = axisTaps(image.height, height);
  const rowLength = image.width * channels;
  for (let y = 0; y < height; y++) {
    const top = rows.lower[y]! * rowLength;
    const bottom = rows.upper[y]! * rowLength;
    const down = rows.weight[y]!;
    for (let x = 0, index = y * width * channels; x < width; x++) {
      const left = columns.lower[x]! * channels;
      const right = columns.upper[x]! * channels;
      const across = columns.weight[x]!;
      for (let c = 0; c < channels; c++, index++) {
        const upperRow = source[top + left + c]! + across * (source[top + right + c]! - source[top + left + c]!);
        const lowerRow = source[bottom + left + c]! + across * (source[bottom + right + c]! - source[bottom + left + c]!);
        target[index] = (upperRow + down * (lowerRow - upperRow)) * unit;
      }
    }
  }
  return result;
}

/** Precomputes the taps of every output coordinate along one axis (OpenCV's INTER_LINEAR mapping). */
export function axisTaps(sourceLength: number, targetLength: number): AxisTaps {
  const scale = sourceLength / targetLength;
  const lower = new Int32Array(targetLength);
  const upper = new Int32Array(targetLength);
  const weight = new Float32Array(targetLength);
  for (let d = 0; d < targetLength; d++) {
    const position = (d + 0.5) * scale - 0.5;
    let base = Math.floor(position);
    let fraction = position - base;
    if (base < 0) { base = 0; fraction = 0; }
    if (base >= sourceLength - 1) { base = sourceLength - 1; fraction = 0; }
    lower[d] = base;
    upper[d] = Math.min(base + 1, sourceLength - 1);
    weight[d] = fraction;
  }
  return { lower, upper, weight };
}
