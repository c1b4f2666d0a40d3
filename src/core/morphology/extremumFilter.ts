import { assertImage, createFloatImage, expectation, type FloatImage } from '../imageTypes';
import { columnExtremum } from './columnExtremum';

/** Structuring element: a `(2r+1)²` square, or OpenCV's `MORPH_ELLIPSE` disk of the same size. */
export type StructuringShape = 'square' | 'disk';

/** Options for {@link extremumFilter}. */
export interface ExtremumFilterOptions {
  /** Reach of the structuring element from its centre in pixels, a non-negative integer (0 copies). */
  readonly radiusPx: number;
  /** Shape of the structuring element. @default 'square' */
  readonly shape?: StructuringShape;
  /** `'max'` dilates (grows bright areas), `'min'` erodes. */
  readonly operation: 'max' | 'min';
}

/**
 * Running maximum or minimum over a structuring element, the engine of {@link dilate} and {@link erode}. Pixels
 * outside the image are ignored (as OpenCV's default border value does), so a closing never darkens the frame edge.
 * The square is separable and uses the van Herk / Gil-Werman algorithm: three comparisons per sample whatever the
 * radius. The disk is the union of horizontal runs, one van Herk pass per distinct run width: O(radius) per sample.
 * Works on any channel count, each channel independently.
 * @param image Float image.
 * @param options Radius, shape and operation.
 * @param out Optional destination of the same shape; may be `image`.
 * @returns `out`, or a new image.
 */
export function extremumFilter(image: FloatImage, options: ExtremumFilterOptions, out?: FloatImage): FloatImage {
  assertImage(image, 'image');
  const { radiusPx, operation } = options;
  const shape = options.shape ?? 'square';
  if (!Number.isInteger(radiusPx) || radiusPx < 0) throw new RangeError(expectation('a non-negative integer', 'radiusPx', radiusPx));
  if (shape !== 'square' && shape !== 'disk') throw new RangeError(expectation("'square' or 'disk'", 'shape', shape));
  if (operation !== 'max' && operation !== 'min') throw new RangeError(expectation("'max' or 'min'", 'operation', operation));
  const { width, height, channels } = image;
  const result = out ?? createFloatImage(width, height, channels);
  assertImage(result, 'out', { channels, width, height });
  const sign = operation === 'max' ? 1 : -1;
  const rowLength = width * channels;
  const line = new LineFilter(Math.max(width, height), radiusPx, sign);
  if (shape === 'square' || radiusPx === 0) {
    result.data.set(image.data);
    for (let y = 0; y < height; y++) for (let c = 0; c < channels; c++) line.run(result.data, y * rowLength + c, channels, width, radiusPx);
    columnExtremum(result.data, rowLength, height, radiusPx, sign);
    return result;
  }
  const source = image.data.slice();
  const runs = createFloatImage(width, height, channels).data;
  const target = result.data;
  target.fill(-sign * Infinity);
  const halfWidths = diskHalfWidths(radiusPx);
  for (const halfWidth of new Set(halfWidths)) {
    runs.set(source);
    for (let y = 0; y < height; y++) for (let c = 0; c < channels; c++) line.run(runs, y * rowLength + c, channels, width, halfWidth);
    for (let dy = -radiusPx; dy <= radiusPx; dy++) {
      if (halfWidths[dy + radiusPx] !== halfWidth) continue;
      for (let y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
        const from = (y + dy) * rowLength;
        const to = y * rowLength;
        for (let index = 0; index < rowLength; index++) {
          const value = runs[from + index]!;
          if ((value - target[to + index]!) * sign > 0) target[to + index] = value;
        }
      }
    }
  }
  return result;
}

/**
 * Half-widths of the rows of OpenCV's `getStructuringElement(MORPH_ELLIPSE, (2r+1, 2r+1))`, top to bottom:
 * row `dy` spans `±round(√(r² − dy²))`.
 * @param radiusPx Disk radius in pixels.
 */
export function diskHalfWidths(radiusPx: number): number[] {
  return Array.from({ length: 2 * radiusPx + 1 }, (_, row) => Math.round(Math.sqrt(radiusPx ** 2 - (row - radiusPx) ** 2)));
}

/** Van Herk / Gil-Werman running extremum along one strided line, with reusable scratch. */
class LineFilter {
  private readonly padded: Float64Array;
  private readonly prefix: Float64Array;
  private readonly suffix: Float64Array;

  constructor(maxLength: number, maxRadius: number, private readonly sign: number) {
    const size = maxLength + 4 * maxRadius + 2;
    this.padded = new Float64Array(size);
    this.prefix = new Float64Array(size);
    this.suffix = new Float64Array(size);
  }

  /** Replaces `length` samples at `offset + i·stride` by the extremum over `i − radius … i + radius`. */
  run(data: Float32Array, offset: number, stride: number, length: number, radius: number): void {
    if (radius === 0) return;
    const { padded, prefix, suffix, sign } = this;
    const size = 2 * radius + 1;
    const total = Math.ceil((length + 2 * radius) / size) * size;
    // Work on sign·value so one code path serves max and min; outside samples are −∞.
    padded.fill(-Infinity, 0, total);
    for (let i = 0; i < length; i++) padded[i + radius] = sign * data[offset + i * stride]!;
    for (let start = 0; start < total; start += size) {
      let running = -Infinity;
      for (let i = start; i < start + size; i++) prefix[i] = running = padded[i]! > running ? padded[i]! : running;
      running = -Infinity;
      for (let i = start + size - 1; i >= start; i--) suffix[i] = running = padded[i]! > running ? padded[i]! : running;
    }
    for (let i = 0; i < length; i++) {
      const early = suffix[i]!;
      const late = prefix[i + size - 1]!;
      data[offset + i * stride] = sign * (early > late ? early : late);
    }
  }
}
