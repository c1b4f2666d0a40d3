import { assertDimensions, assertImage, createFloatImage, type FloatImage, type ImageBuffer } from '../imageTypes';
import { resizeBilinear } from './resizeBilinear';

/** Sparse averaging weights along one axis: output `d` reads `count[d]` source pixels from `first[d]`. */
interface AreaTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** Weights of all outputs, concatenated; `offset[d]` is where output `d`'s weights start. */
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

/**
 * Downscale by averaging the source area under each output pixel, as `cv2.resize(…, interpolation=INTER_AREA)`:
 * fractional overlaps are weighted by their length, and slivers under 0.001 pixel are ignored as OpenCV does.
 * The right tool to shrink a guide image without aliasing. When an axis grows instead, the image is resized
 * bilinearly (as OpenCV does for INTER_AREA upscaling, up to its rounding). 8-bit input is scaled to [0, 1].
 * @param image Source with any channel count.
 * @param width Output width in pixels.
 * @param height Output height in pixels.
 * @param out Optional destination with the same channel count.
 * @returns `out`, or a new float image.
 */
export function resizeArea(image: ImageBuffer, width: number, height: number, out?: FloatImage): FloatImage {
  assertImage(image, 'image');
  assertDimensions(width, height, 'resizeArea');
  if (width > image.width || height > image.height) return resizeBilinear(image, width, height, out);
  const { channels } = image;
  const result = out ?? createFloatImage(width, height, channels);
  assertImage(result, 'out', { channels, width, height });
  const source = image.data;
  const target = result.data;
  const unit = source instanceof Float32Array ? 1 : 1 / 255;
  const columns = areaTaps(image.width, width);
  const rows = areaTaps(image.height, height);
  const rowLength = image.width * channels;
  // A source row straddling two output rows is shrunk across once and kept for the next output row.
  const across = new Float64Array(width * channels);
  let acrossRow = -1;
  const accumulated = new Float64Array(width * channels);
  for (let y = 0; y < height; y++) {
    accumulated.fill(0);
    for (let j = 0; j < rows.count[y]!; j++) {
      const sourceRow = rows.first[y]! + j;
      const rowWeight = rows.weights[rows.offset[y]! + j]!;
      if (sourceRow !== acrossRow) {
        shrinkRow(source, sourceRow * rowLength, columns, channels, across);
        acrossRow = sourceRow;
      }
      for (let index = 0; index < across.length; index++) accumulated[index]! += rowWeight * across[index]!;
    }
    const rowOffset = y * width * channels;
    for (let index = 0; index < accumulated.length; index++) target[rowOffset + index] = accumulated[index]! * unit;
  }
  return result;
}

/** One source row (from `rowStart`) averaged across into `across`, one output column at a time. */
function shrinkRow(source: ImageBuffer['data'], rowStart: number, columns: AreaTaps, channels: number, across: Float64Array): void {
  const { first, count, offset, weights } = columns;
  if (channels === 1) {
    // One channel (the guide's luma): the column's sum in a register, about twice as fast as the general loop.
    for (let x = 0; x < first.length; x++) {
      let sum = 0;
      for (let i = 0, at = rowStart + first[x]!, tap = offset[x]!; i < count[x]!; i++) sum += weights[tap + i]! * source[at + i]!;
      across[x] = sum;
    }
    return;
  }
  across.fill(0);
  for (let x = 0; x < columns.first.length; x++) {
    for (let i = 0; i < columns.count[x]!; i++) {
      const columnWeight = columns.weights[columns.offset[x]! + i]!;
      const sample = rowStart + (columns.first[x]! + i) * channels;
      for (let c = 0; c < channels; c++) across[x * channels + c]! += columnWeight * source[sample + c]!;
    }
  }
}

/** OpenCV's `computeResizeAreaTab` for one shrinking axis: overlap of each source pixel with the output cell. */
function areaTaps(sourceLength: number, targetLength: number): AreaTaps {
  const scale = sourceLength / targetLength;
  const first = new Int32Array(targetLength);
  const count = new Int32Array(targetLength);
  const offset = new Int32Array(targetLength);
  const weights: number[] = [];
  for (let d = 0; d < targetLength; d++) {
    const start = d * scale;
    const end = start + scale;
    const cell = Math.min(scale, sourceLength - start);
    const last = Math.min(Math.floor(end), sourceLength - 1);
    const inner = Math.min(Math.ceil(start), last);
    offset[d] = weights.length;
    first[d] = inner;
    if (inner - start > 1e-3) {
      first[d] = inner - 1;
      weights.push((inner - start) / cell);
    }
    for (let s = inner; s < last; s++) weights.push(1 / cell);
    if (end - last > 1e-3) weights.push(Math.min(end - last, 1, cell) / cell);
    count[d] = weights.length - offset[d]!;
  }
  return { first, count, offset, weights: Float64Array.from(weights) };
}
