import { assertImage, createFloatImage, expectation, type ImageBuffer } from '../imageTypes';
import {
  DECODE_TABLE,
  DECODE_TABLE_8BIT,
  LAB_EPSILON,
  LAB_LINEAR_OFFSET,
  LAB_LINEAR_SLOPE,
  RGB_TO_XYZ,
  WHITE_X,
  WHITE_Y,
  WHITE_Z,
  cubeRoot,
  interpolateTable,
  type LabImage,
} from './labConstants';

// Imports used per pixel are read once into module constants: module runners (vitest, tsx on CommonJS) compile every
// use of an imported binding into a property read, which doubled the cost of these loops.
const decodeTable = DECODE_TABLE;
const decodeTable8Bit = DECODE_TABLE_8BIT;
const interpolate = interpolateTable;
const cubeRootOf = cubeRoot;
const epsilon = LAB_EPSILON;
const linearSlope = LAB_LINEAR_SLOPE;
const linearOffset = LAB_LINEAR_OFFSET;

/** Linear RGB → XYZ / white, row-major: the matrix rows divided by the white point, in one typed array for speed. */
const TO_RATIO = Float64Array.from(RGB_TO_XYZ, (value, index) => value / [WHITE_X, WHITE_Y, WHITE_Z][(index / 3) | 0]!);

/** CIE 1976 companding: cube root above δ³ (table seed + Halley step, relative error < 1e-10), linear below. */
function compand(ratio: number): number {
  return ratio > epsilon ? cubeRootOf(ratio) : ratio * linearSlope + linearOffset;
}

function writeLabFromLinear(
  red: number,
  green: number,
  blue: number,
  target: Float32Array | Float64Array,
  offset: number,
): void {
  const matrix = TO_RATIO;
  const fx = compand(matrix[0]! * red + matrix[1]! * green + matrix[2]! * blue);
  const fy = compand(matrix[3]! * red + matrix[4]! * green + matrix[5]! * blue);
  const fz = compand(matrix[6]! * red + matrix[7]! * green + matrix[8]! * blue);
  target[offset] = 116 * fy - 16;
  target[offset + 1] = 500 * (fx - fy);
  target[offset + 2] = 200 * (fy - fz);
}

/**
 * Converts one sRGB-encoded colour (`source[sourceOffset…+2]`, each in [0, 1], clamped) to CIELAB, writing L, a, b to
 * `target[targetOffset…+2]` (may be the same array and offset). Allocation-free, for per-pixel loops in other
 * kernels; array arguments keep it fast even where V8 does not inline it.
 */
export function srgbPixelToLab(
  source: Float32Array | Float64Array,
  sourceOffset: number,
  target: Float32Array | Float64Array,
  targetOffset: number,
): void {
  writeLabFromLinear(
    interpolate(decodeTable, source[sourceOffset]!),
    interpolate(decodeTable, source[sourceOffset + 1]!),
    interpolate(decodeTable, source[sourceOffset + 2]!),
    target,
    targetOffset,
  );
}

/**
 * Converts an sRGB image to CIELAB (D65 white, CIE 1976; L 0–100, a and b roughly ±128).
 *
 * Float input is sRGB-encoded in [0, 1] and linearised through a 4097-entry table with linear interpolation
 * (error < 2e-5); 8-bit input uses an exact 256-entry table. A fourth (alpha) channel is ignored.
 * @param image 3- or 4-channel sRGB image, 8-bit or float.
 * @param out Optional 3-channel float image of the same size to write into (reuse it across slider ticks).
 * @returns The Lab image (`out` when given).
 */
export function srgbToLab(image: ImageBuffer, out?: LabImage): LabImage {
  assertImage(image, 'image');
  if (image.channels !== 3 && image.channels !== 4) {
    throw new RangeError(expectation('3 or 4 channels', 'image', image.channels));
  }
  const result = out ?? createFloatImage(image.width, image.height, 3);
  assertImage(result, 'out', { channels: 3, width: image.width, height: image.height });
  const source = image.data;
  const target = result.data;
  const stride = image.channels;
  const pixels = image.width * image.height;
  if (source instanceof Float32Array) {
    for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel++, from += stride, to += 3) {
      srgbPixelToLab(source, from, target, to);
    }
  } else {
    for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel++, from += stride, to += 3) {
      writeLabFromLinear(
        decodeTable8Bit[source[from]!]!,
        decodeTable8Bit[source[from + 1]!]!,
        decodeTable8Bit[source[from + 2]!]!,
        target,
        to,
      );
    }
  }
  return result;
}
