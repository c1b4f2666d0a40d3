import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DECODE_TABLE,
  DECODE_TABLE_8BIT,
  ENCODE_TABLE,
  WHITE_X,
  WHITE_Z,
  XYZ_TO_RGB,
  cubeRoot,
  decodeSrgb,
  encodeSrgb,
  interpolateTable,
} from './labConstants';

describe('labConstants', () => {
  it('uses the D65 white of the sRGB primaries and an exact inverse matrix', () => {
    expect(WHITE_X).toBeCloseTo(0.95047, 6);
    expect(WHITE_Z).toBeCloseTo(1.08883, 6);
    expect(XYZ_TO_RGB[0]).toBeCloseTo(3.2404542, 5);
    expect(XYZ_TO_RGB[4]).toBeCloseTo(1.8760108, 5);
  });

  it('follows the IEC 61966-2-1 transfer curve at its published points', () => {
    expect(decodeSrgb(0.04045)).toBeCloseTo(0.0031308, 7);
    expect(encodeSrgb(0.0031308)).toBeCloseTo(0.04045, 5);
    expect(decodeSrgb(0.5)).toBeCloseTo(0.214041, 6);
    expect(DECODE_TABLE_8BIT[128]).toBeCloseTo(decodeSrgb(128 / 255), 12);
  });

  it('interpolates both transfer tables within 2e-5 and clamps outside [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (value) => {
        expect(Math.abs(interpolateTable(DECODE_TABLE, value) - decodeSrgb(value))).toBeLessThan(2e-5);
        expect(Math.abs(interpolateTable(ENCODE_TABLE, value) - encodeSrgb(value))).toBeLessThan(2e-5);
      }),
      { numRuns: 2000 },
    );
    expect(interpolateTable(DECODE_TABLE, -0.5)).toBe(0);
    expect(interpolateTable(DECODE_TABLE, Number.NaN)).toBe(0);
    expect(interpolateTable(DECODE_TABLE, 1.5)).toBe(1);
  });

  it('computes cube roots to a relative error below 1e-10 everywhere', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0.008, max: 1, noNaN: true }), fc.double({ min: 0, max: 8, noNaN: true })), (value) => {
        const exact = Math.cbrt(value);
        expect(Math.abs(cubeRoot(value) - exact)).toBeLessThanOrEqual(1e-10 * exact);
      }),
      { numRuns: 5000 },
    );
  });
});
