import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { denseLaplacian } from './testing/denseLaplacian';
import { applyBandLaplacian, assembleBandLaplacian, createStencilField, solveLowerSweep, solveUpperSweep, STENCIL_CENTRE, STENCIL_SIZE } from './mattingLaplacian';

describe('band matting Laplacian', () => {
  it('applies the same rows as the dense Laplacian, at every band pixel including the frame edge', () => {
    const width = 7, height = 6;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const image: FloatImage = { width, height, channels: 3, data: Float32Array.from({ length: width * height * 3 }, random) };
    const band = [0, 3, 8, 9, 16, 20, 24, 27, 34, 41]; // corners and edges included
    const index = new Int32Array(width * height).fill(-1);
    band.forEach((pixel, u) => (index[pixel] = u));
    const laplacian = assembleBandLaplacian(image, index, band.length, 1e-3);
    const field = createStencilField(width, height);
    const x = Array.from({ length: width * height }, random);
    x.forEach((value, pixel) => (field.values[pixel + field.padding] = value));
    const result = new Float64Array(band.length);
    applyBandLaplacian(laplacian, field, result);
    const L = denseLaplacian(image, 1e-3);
    band.forEach((pixel, u) => {
      const expected = L[pixel]!.reduce((sum, coefficient, j) => sum + coefficient * x[j]!, 0);
      expect(result[u]).toBeCloseTo(expected, 4);
    });
    // Rows of the matting Laplacian sum to zero (constant alpha costs nothing): a check the dense build above shares.
    field.values.fill(0);
    for (let pixel = 0; pixel < width * height; pixel++) field.values[pixel + field.padding] = 1;
    applyBandLaplacian(laplacian, field, result);
    result.forEach((value) => expect(Math.abs(value)).toBeLessThan(1e-4));
  });

  it('solves the SSOR splitting\'s lower and upper triangular systems exactly as dense substitution does', () => {
    const width = 8, height = 7;
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const image: FloatImage = { width, height, channels: 3, data: Float32Array.from({ length: width * height * 3 }, random) };
    const band = Array.from({ length: width * height }, (_, pixel) => pixel).filter((pixel) => (pixel * 7) % 5 !== 0);
    const index = new Int32Array(width * height).fill(-1);
    band.forEach((pixel, u) => (index[pixel] = u));
    const laplacian = assembleBandLaplacian(image, index, band.length, 1e-3);
    const shift = 0.02, omega = 1.5;
    // The band's system A = L_bb + shift·I from the dense Laplacian; (D/ω + lower part of A) z = w by forward
    // substitution, (D/ω + upper part) z = w by backward substitution.
    const L = denseLaplacian(image, 1e-3);
    const A = band.map((i) => band.map((j) => L[i]![j]! + (i === j ? shift : 0)));
    const n = band.length;
    const w = band.map(() => random() - 0.5);
    const forward = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = w[i]!;
      for (let j = 0; j < i; j++) sum -= A[i]![j]! * forward[j]!;
      forward[i] = sum / (A[i]![i]! / omega);
    }
    const backward = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      let sum = w[i]!;
      for (let j = i + 1; j < n; j++) sum -= A[i]![j]! * backward[j]!;
      backward[i] = sum / (A[i]![i]! / omega);
    }
    const diagonal = Float64Array.from(band, (_, u) => laplacian.coefficients[u * STENCIL_SIZE + STENCIL_CENTRE]! + shift);
    // Stale values at band pixels are overwritten before they are read; outside the band the field must be zero.
    const staleField = () => {
      const field = createStencilField(width, height);
      field.values.fill(123);
      for (let pixel = 0; pixel < width * height; pixel++) if (index[pixel]! < 0) field.values[pixel + field.padding] = 0;
      for (let at = 0; at < field.padding; at++) field.values[at] = field.values[field.values.length - 1 - at] = 0;
      return field;
    };
    for (const [sweep, expected] of [[solveLowerSweep, forward], [solveUpperSweep, backward]] as const) {
      const field = staleField();
      const z = new Float64Array(n);
      sweep(laplacian, diagonal.map((value) => omega / value), field, Float64Array.from(w), z);
      expected.forEach((value, u) => {
        expect(z[u]).toBeCloseTo(value, 4);
        expect(field.values[band[u]! + field.padding]).toBe(z[u]); // the field ends holding z at the band
      });
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.01); // not a trivially small answer
    }
    expect(Math.max(...forward.map((value, u) => Math.abs(value - backward[u]!)))).toBeGreaterThan(0.01); // the two differ
  });
});
