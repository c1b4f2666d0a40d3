import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { applyBandLaplacian, applySsorPreconditioner, assembleBandLaplacian, createStencilField, STENCIL_CENTRE, STENCIL_SIZE } from './mattingLaplacian';

/** Inverse of a 3×3 matrix by Gauss–Jordan elimination (independent of the cofactor formula under test). */
function invert3(matrix: number[][]): number[][] {
  const rows = matrix.map((row, i) => [...row, ...[0, 1, 2].map((j) => (i === j ? 1 : 0))]);
  for (let column = 0; column < 3; column++) {
    const pivot = [column, column + 1, column + 2].filter((r) => r < 3).reduce((best, r) => (Math.abs(rows[r]![column]!) > Math.abs(rows[best]![column]!) ? r : best));
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    const scale = rows[column]![column]!;
    rows[column] = rows[column]!.map((value) => value / scale);
    for (let r = 0; r < 3; r++) if (r !== column) rows[r] = rows[r]!.map((value, c) => value - rows[r]![column]! * rows[column]![c]!);
  }
  return rows.map((row) => row.slice(3));
}

/** The whole matting Laplacian as a dense matrix, straight from Levin et al.'s eq. 12 over interior 3×3 windows. */
function denseLaplacian(image: FloatImage, epsilon: number): number[][] {
  const { width, height, data } = image;
  const size = width * height;
  const L = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let cy = 1; cy < height - 1; cy++) {
    for (let cx = 1; cx < width - 1; cx++) {
      const members = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => (cy + dy) * width + cx + dx));
      const colours = members.map((pixel) => [0, 1, 2].map((c) => data[pixel * 3 + c]!));
      const mean = [0, 1, 2].map((c) => colours.reduce((sum, colour) => sum + colour[c]!, 0) / 9);
      const covariance = [0, 1, 2].map((a) => [0, 1, 2].map((b) => colours.reduce((sum, colour) => sum + (colour[a]! - mean[a]!) * (colour[b]! - mean[b]!), 0) / 9 + (a === b ? epsilon / 9 : 0)));
      const inverse = invert3(covariance);
      members.forEach((i, mi) => members.forEach((j, mj) => {
        const di = colours[mi]!.map((value, c) => value - mean[c]!);
        const dj = colours[mj]!.map((value, c) => value - mean[c]!);
        const quadratic = [0, 1, 2].reduce((sum, a) => sum + di[a]! * [0, 1, 2].reduce((inner, b) => inner + inverse[a]![b]! * dj[b]!, 0), 0);
        L[i]![j]! += (i === j ? 1 : 0) - (1 + quadratic) / 9;
      }));
    }
  }
  return L;
}

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

  it('preconditions with SSOR exactly as the dense sweeps over the band system do', () => {
    const width = 8, height = 7;
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const image: FloatImage = { width, height, channels: 3, data: Float32Array.from({ length: width * height * 3 }, random) };
    const band = Array.from({ length: width * height }, (_, pixel) => pixel).filter((pixel) => (pixel * 7) % 5 !== 0);
    const index = new Int32Array(width * height).fill(-1);
    band.forEach((pixel, u) => (index[pixel] = u));
    const laplacian = assembleBandLaplacian(image, index, band.length, 1e-3);
    const shift = 0.02, omega = 1.5;
    // The band's system A = L_bb + shift·I from the dense Laplacian, and M⁻¹r by dense forward and backward substitution.
    const L = denseLaplacian(image, 1e-3);
    const A = band.map((i) => band.map((j) => L[i]![j]! + (i === j ? shift : 0)));
    const r = band.map(() => random() - 0.5);
    const n = band.length;
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = r[i]!;
      for (let j = 0; j < i; j++) sum -= A[i]![j]! * y[j]!;
      y[i] = sum / (A[i]![i]! / omega);
    }
    const w = y.map((value, i) => ((2 - omega) / omega) * A[i]![i]! * value);
    const expected = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      let sum = w[i]!;
      for (let j = i + 1; j < n; j++) sum -= A[i]![j]! * expected[j]!;
      expected[i] = sum / (A[i]![i]! / omega);
    }
    const diagonal = Float64Array.from(band, (_, u) => laplacian.coefficients[u * STENCIL_SIZE + STENCIL_CENTRE]! + shift);
    const field = createStencilField(width, height);
    field.values.fill(123); // stale values at band pixels are overwritten; outside the band the field must be zero
    for (let pixel = 0; pixel < width * height; pixel++) if (index[pixel]! < 0) field.values[pixel + field.padding] = 0;
    for (let at = 0; at < field.padding; at++) field.values[at] = field.values[field.values.length - 1 - at] = 0;
    const z = new Float64Array(n);
    applySsorPreconditioner(laplacian, diagonal, omega, field, Float64Array.from(r), z);
    expected.forEach((value, u) => expect(z[u]).toBeCloseTo(value, 4));
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.01); // not a trivially small answer
  });
});
