/**
 * Constants and lookup tables shared by the sRGB ↔ CIELAB converters.
 *
 * sRGB follows IEC 61966-2-1 (D65 primaries and transfer curve); CIELAB is CIE 1976 with the D65 white taken as
 * the row sums of the sRGB → XYZ matrix, so sRGB white maps to exactly L = 100, a = b = 0.
 */
import type { FloatImage } from '../imageTypes';

/**
 * A CIELAB float image: three interleaved channels L (0–100), a and b (roughly −128…128).
 * Same layout as {@link FloatImage}, but the values are not limited to [0, 1].
 */
export type LabImage = FloatImage;

/** Linear sRGB → XYZ (D65), row-major, IEC 61966-2-1 primaries (Lindbloom's 7-digit values). */
export const RGB_TO_XYZ: readonly number[] = [
  0.4124564, 0.3575761, 0.1804375,
  0.2126729, 0.7151522, 0.072175,
  0.0193339, 0.119192, 0.9503041,
];

/** D65 reference white X, Y, Z (row sums of {@link RGB_TO_XYZ}). */
export const WHITE_X = RGB_TO_XYZ[0]! + RGB_TO_XYZ[1]! + RGB_TO_XYZ[2]!;
/** D65 reference white Y. */
export const WHITE_Y = RGB_TO_XYZ[3]! + RGB_TO_XYZ[4]! + RGB_TO_XYZ[5]!;
/** D65 reference white Z. */
export const WHITE_Z = RGB_TO_XYZ[6]! + RGB_TO_XYZ[7]! + RGB_TO_XYZ[8]!;

/** XYZ (D65) → linear sRGB: the exact inverse of {@link RGB_TO_XYZ}. */
export const XYZ_TO_RGB: readonly number[] = invert3x3(RGB_TO_XYZ);

/** CIE 1976 δ = 6/29: below δ³ the Lab companding function is linear. */
export const LAB_DELTA = 6 / 29;
/** δ³, the threshold of the Lab companding function on XYZ / white. */
export const LAB_EPSILON = LAB_DELTA * LAB_DELTA * LAB_DELTA;
/** Slope 1 / (3δ²) of the linear part of the Lab companding function. */
export const LAB_LINEAR_SLOPE = 1 / (3 * LAB_DELTA * LAB_DELTA);
/** Offset 4/29 of the linear part of the Lab companding function. */
export const LAB_LINEAR_OFFSET = 4 / 29;

/** Number of intervals in the float transfer-curve tables; each table has `TRANSFER_STEPS + 1` entries. */
export const TRANSFER_STEPS = 4096;

/** sRGB-encoded value → linear light (IEC 61966-2-1), exact. */
export function decodeSrgb(encoded: number): number {
  return encoded <= 0.04045 ? encoded / 12.92 : Math.pow((encoded + 0.055) / 1.055, 2.4);
}

/** Linear light → sRGB-encoded value (IEC 61966-2-1), exact. */
export function encodeSrgb(linear: number): number {
  return linear <= 0.0031308 ? linear * 12.92 : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
}

/** `decodeSrgb` sampled at `i / TRANSFER_STEPS`, for linear interpolation over [0, 1]. */
export const DECODE_TABLE: Float64Array = sampleCurve(decodeSrgb);

/** `encodeSrgb` sampled at `i / TRANSFER_STEPS`, for linear interpolation over [0, 1]. */
export const ENCODE_TABLE: Float64Array = sampleCurve(encodeSrgb);

/** Exact linear light for each 8-bit code 0–255. */
export const DECODE_TABLE_8BIT: Float64Array = Float64Array.from({ length: 256 }, (_, code) => decodeSrgb(code / 255));

/**
 * Looks up a transfer curve table with linear interpolation; `value` is clamped to [0, 1] first.
 * Interpolation error is below 2e-5 for both tables.
 */
export function interpolateTable(table: Float64Array, value: number): number {
  if (!(value > 0)) return table[0]!;
  if (value >= 1) return table[TRANSFER_STEPS]!;
  const position = value * TRANSFER_STEPS;
  const index = position | 0;
  const lower = table[index]!;
  return lower + (position - index) * (table[index + 1]! - lower);
}

/** Intervals of the cube-root seed table over [0, 1]. */
const CUBE_ROOT_STEPS = 1024;
const CUBE_ROOT_TABLE: Float64Array = Float64Array.from({ length: CUBE_ROOT_STEPS + 1 }, (_, index) =>
  Math.cbrt(index / CUBE_ROOT_STEPS),
);

/**
 * Cube root for the Lab companding range, about 3× faster than `Math.cbrt` in V8: an interpolated table seed refined
 * by one Halley step, relative error below 1e-10. Values outside [δ³, 1), where the seed table is too coarse or
 * absent, fall back to `Math.cbrt`.
 */
export function cubeRoot(value: number): number {
  if (!(value >= LAB_EPSILON && value < 1)) return Math.cbrt(value);
  const position = value * CUBE_ROOT_STEPS;
  const index = position | 0;
  const lower = CUBE_ROOT_TABLE[index]!;
  const seed = lower + (position - index) * (CUBE_ROOT_TABLE[index + 1]! - lower);
  const cube = seed * seed * seed;
  return (seed * (cube + 2 * value)) / (2 * cube + value);
}

function sampleCurve(curve: (value: number) => number): Float64Array {
  const table = new Float64Array(TRANSFER_STEPS + 1);
  for (let index = 0; index <= TRANSFER_STEPS; index++) table[index] = curve(index / TRANSFER_STEPS);
  return table;
}

function invert3x3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const c00 = e * i - f * h;
  const c01 = f * g - d * i;
  const c02 = d * h - e * g;
  const determinant = a * c00 + b * c01 + c * c02;
  return [
    c00 / determinant, (c * h - b * i) / determinant, (b * f - c * e) / determinant,
    c01 / determinant, (a * i - c * g) / determinant, (c * d - a * f) / determinant,
    c02 / determinant, (b * g - a * h) / determinant, (a * e - b * d) / determinant,
  ];
}
