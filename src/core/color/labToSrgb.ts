import { assertImage, createFloatImage, type FloatImage } from '../imageTypes';
import {
  ENCODE_TABLE,
  LAB_DELTA,
  LAB_LINEAR_OFFSET,
  LAB_LINEAR_SLOPE,
  WHITE_X,
  WHITE_Y,
  WHITE_Z,
  XYZ_TO_RGB,
  interpolateTable,
  type LabImage,
} from './labConstants';

// Imports used per pixel are read once into module constants: module runners (vitest, tsx on CommonJS) compile every
// use of an imported binding into a property read, which doubled the cost of these loops.
const encodeTable = ENCODE_TABLE;
const interpolate = interpolateTable;
const delta = LAB_DELTA;
const linearOffset = LAB_LINEAR_OFFSET;

/** XYZ / white → linear RGB, row-major: the inverse matrix with the white point folded in, as a typed array for speed. */
const FROM_RATIO = Float64Array.from(XYZ_TO_RGB, (value, index) => value * [WHITE_X, WHITE_Y, WHITE_Z][index % 3]!);
const INVERSE_SLOPE = 1 / LAB_LINEAR_SLOPE;

/** Inverse CIE 1976 companding: cube above δ, linear below. */
function expand(value: number): number {
  return value > delta ? value * value * value : (value - linearOffset) * INVERSE_SLOPE;
}

/**
 * Converts one CIELAB colour (`source[sourceOffset…+2]`: L, a, b) to sRGB-encoded values clamped to [0, 1], writing
 * red, green, blue to `target[targetOffset…+2]` (may be the same array and offset). Out-of-gamut colours are
 * clamped per channel in linear light. Allocation-free, for per-pixel loops in other kernels.
 */
export function labPixelToSrgb(
  source: Float32Array | Float64Array,
  sourceOffset: number,
  target: Float32Array | Float64Array,
  targetOffset: number,
): void {
  const fy = (source[sourceOffset]! + 16) / 116;
  const x = expand(fy + source[sourceOffset + 1]! / 500);
  const y = expand(fy);
  const z = expand(fy - source[sourceOffset + 2]! / 200);
  const matrix = FROM_RATIO;
  target[targetOffset] = interpolate(encodeTable, matrix[0]! * x + matrix[1]! * y + matrix[2]! * z);
  target[targetOffset + 1] = interpolate(encodeTable, matrix[3]! * x + matrix[4]! * y + matrix[5]! * z);
  target[targetOffset + 2] = interpolate(encodeTable, matrix[6]! * x + matrix[7]! * y + matrix[8]! * z);
}

/**
 * Converts a CIELAB image (D65 white, CIE 1976; L 0–100) to an sRGB-encoded float image in [0, 1].
 *
 * The transfer curve is a 4097-entry table with linear interpolation (error < 2e-5); colours outside the sRGB
 * gamut are clamped per channel.
 * @param lab 3-channel Lab image, as produced by `srgbToLab`.
 * @param out Optional 3-channel float image of the same size to write into (may be `lab` itself).
 * @returns The sRGB image (`out` when given).
 */
export function labToSrgb(lab: LabImage, out?: FloatImage): FloatImage {
  assertImage(lab, 'lab', { channels: 3 });
  const result = out ?? createFloatImage(lab.width, lab.height, 3);
  assertImage(result, 'out', { channels: 3, width: lab.width, height: lab.height });
  const source = lab.data;
  const target = result.data;
  for (let index = 0; index < source.length; index += 3) {
    labPixelToSrgb(source, index, target, index);
  }
  return result;
}
