import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlphaMatte, FloatImage } from '../imageTypes';
import { sumAbsoluteDifference } from '../metrics/sumAbsoluteDifference';
import { edgeBandTrimap, TRIMAP_UNKNOWN } from './edgeBandTrimap';
import { solveBandAlpha } from './solveBandAlpha';
import { denseLaplacian } from './testing/denseLaplacian';

const SIZE = 24;
/** A textured two-colour composite: true α is a soft diagonal edge; F and B vary slowly so windows are not flat. */
function composite(): { image: FloatImage; truth: AlphaMatte } {
  const image: FloatImage = { width: SIZE, height: SIZE, channels: 3, data: new Float32Array(SIZE * SIZE * 3) };
  const truth: AlphaMatte = { width: SIZE, height: SIZE, channels: 1, data: new Float32Array(SIZE * SIZE) };
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const pixel = y * SIZE + x;
      const alpha = Math.min(1, Math.max(0, (x + 0.5 * y - 17) / 5));
      const foreground = [0.85, 0.35 + 0.01 * y, 0.2];
      const background = [0.1, 0.3, 0.75 + 0.005 * x];
      truth.data[pixel] = alpha;
      for (let c = 0; c < 3; c++) image.data[pixel * 3 + c] = alpha * foreground[c]! + (1 - alpha) * background[c]!;
    }
  }
  return { image, truth };
}

describe('solveBandAlpha', () => {
  it('recovers the true alpha of a two-colour blend from a wrong prior inside the band', () => {
    const { image, truth } = composite();
    // The prior is a hard cut of the truth shifted one pixel: wrong all along the soft edge.
    const prior: AlphaMatte = { ...truth, data: Float32Array.from(truth.data, (_, pixel) => (truth.data[Math.max(0, pixel - 1)]! >= 0.5 ? 1 : 0)) };
    const trimap = edgeBandTrimap(prior, { radiusPx: 5, isSmartRadius: false });
    const solved = solveBandAlpha(image, prior, trimap, { priorWeight: 0, maxIterations: 400 });
    const band = { width: SIZE, height: SIZE, channels: 1, data: Uint8Array.from(trimap.data, (value) => (value === TRIMAP_UNKNOWN ? 1 : 0)) };
    const before = sumAbsoluteDifference(prior, truth, { mask: band });
    const after = sumAbsoluteDifference(solved, truth, { mask: band });
    expect(before).toBeGreaterThan(0.02);
    expect(after).toBeLessThan(before * 0.1);
  });

  it('comes within a hundredth of the converged answer in its default iterations', () => {
    const { image, truth } = composite();
    const prior: AlphaMatte = { ...truth, data: Float32Array.from(truth.data, (_, pixel) => (truth.data[Math.max(0, pixel - 1)]! >= 0.5 ? 1 : 0)) };
    const trimap = edgeBandTrimap(prior, { radiusPx: 5, isSmartRadius: false });
    const converged = solveBandAlpha(image, prior, trimap, { maxIterations: 2000, tolerance: 1e-12 });
    const quick = solveBandAlpha(image, prior, trimap);
    const band = { width: SIZE, height: SIZE, channels: 1, data: Uint8Array.from(trimap.data, (value) => (value === TRIMAP_UNKNOWN ? 1 : 0)) };
    const count = band.data.reduce((sum, value) => sum + value, 0);
    expect((sumAbsoluteDifference(prior, converged, { mask: band }) * 1000) / count).toBeGreaterThan(0.05); // the solve moves the band (SAD is in thousands)
    expect((sumAbsoluteDifference(quick, converged, { mask: band }) * 1000) / count).toBeLessThan(0.01);
  });

  it('converges to the band system\'s exact solution, solved densely from the paper\'s Laplacian', () => {
    const width = 10, height = 9;
    let seed = 5;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const image: FloatImage = { width, height, channels: 3, data: Float32Array.from({ length: width * height * 3 }, random) };
    const prior: AlphaMatte = { width, height, channels: 1, data: Float32Array.from({ length: width * height }, (_, pixel) => ((pixel % width) + random() * 3 > 6 ? 1 : 0.3 * random())) };
    const trimap = { width, height, channels: 1, data: Uint8Array.from(prior.data, (value, pixel) => ((pixel % width) >= 3 && (pixel % width) <= 6 ? TRIMAP_UNKNOWN : value >= 0.5 ? 255 : 0)) };
    const epsilon = 1e-3, priorWeight = 0.05;
    // A = L_bb + priorWeight·I, b = −L_bk·α_k + priorWeight·prior_b, solved by Gaussian elimination with partial pivoting.
    const L = denseLaplacian(image, epsilon);
    const band = [...trimap.data.keys()].filter((pixel) => trimap.data[pixel] === TRIMAP_UNKNOWN);
    const known = [...trimap.data.keys()].filter((pixel) => trimap.data[pixel] !== TRIMAP_UNKNOWN);
    const rows = band.map((i) => [
      ...band.map((j) => L[i]![j]! + (i === j ? priorWeight : 0)),
      priorWeight * prior.data[i]! - known.reduce((sum, k) => sum + L[i]![k]! * (trimap.data[k]! > TRIMAP_UNKNOWN ? 1 : 0), 0),
    ]);
    const n = band.length;
    for (let column = 0; column < n; column++) {
      let pivot = column;
      for (let r = column + 1; r < n; r++) if (Math.abs(rows[r]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = r;
      [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
      for (let r = column + 1; r < n; r++) {
        const factor = rows[r]![column]! / rows[column]![column]!;
        for (let c = column; c <= n; c++) rows[r]![c]! -= factor * rows[column]![c]!;
      }
    }
    const exact = new Array<number>(n).fill(0);
    for (let r = n - 1; r >= 0; r--) {
      let sum = rows[r]![n]!;
      for (let c = r + 1; c < n; c++) sum -= rows[r]![c]! * exact[c]!;
      exact[r] = sum / rows[r]![r]!;
    }
    const solved = solveBandAlpha(image, prior, trimap, { epsilon, priorWeight, maxIterations: 500, tolerance: 1e-12 });
    band.forEach((pixel, u) => expect(solved.data[pixel]).toBeCloseTo(Math.min(1, Math.max(0, exact[u]!)), 4));
    // Not the prior back: the solve moves the band.
    expect(Math.max(...band.map((pixel) => Math.abs(solved.data[pixel]! - prior.data[pixel]!)))).toBeGreaterThan(0.05);
  });

  it('keeps pixels outside the band and leaves a trimap without unknowns unchanged', () => {
    const { image, truth } = composite();
    const trimap = edgeBandTrimap(truth, { radiusPx: 2, isSmartRadius: false });
    const solved = solveBandAlpha(image, truth, trimap);
    solved.data.forEach((value, pixel) => {
      if (trimap.data[pixel] !== TRIMAP_UNKNOWN) expect(value).toBe(truth.data[pixel]);
    });
    const none = { ...trimap, data: new Uint8Array(trimap.data.length).fill(255) };
    expect([...solveBandAlpha(image, truth, none).data]).toEqual([...truth.data]);
  });

  it('returns alpha in [0, 1] for any picture and prior', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 64 * 3, maxLength: 64 * 3 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }), (colors, alphas) => {
        const image: FloatImage = { width: 8, height: 8, channels: 3, data: Float32Array.from(colors) };
        const prior: AlphaMatte = { width: 8, height: 8, channels: 1, data: Float32Array.from(alphas) };
        const solved = solveBandAlpha(image, prior, edgeBandTrimap(prior, { radiusPx: 2 }), { maxIterations: 50 });
        solved.data.forEach((value) => {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('rejects bad options and sizes', () => {
    const { image, truth } = composite();
    const trimap = edgeBandTrimap(truth);
    expect(() => solveBandAlpha(image, truth, trimap, { epsilon: 0 })).toThrow('Expected a positive number for options.epsilon but received 0');
    expect(() => solveBandAlpha(image, { ...truth, width: 12, data: truth.data.subarray(0, 12 * SIZE) }, trimap)).toThrow(RangeError);
  });
});
