// Matrix-free matting Laplacian (Levin, Lischinski & Weiss 2008) over 3×3 windows, for solveBandAlpha.
import type { FloatImage } from '../imageTypes';

/** Per window touching the band: centre pixel, mean colour (3) and the inverse regularised covariance (6, symmetric). */
export interface MattingWindows { centres: Int32Array; means: Float64Array; inverses: Float64Array }

/**
 * The 3×3 windows of the matting Laplacian that touch the band (`index[pixel] ≥ 0`), skipping the frame's border:
 * centre, mean colour and inverse of the regularised covariance `Σ + ε/9·I₃`.
 */
export function prepareMattingWindows(image: FloatImage, index: Int32Array, epsilon: number): MattingWindows {
  const { width, height, data } = image;
  // Windows whose 3×3 holds a band pixel: mark the centres around every band pixel, then collect them in order.
  const isCentre = new Uint8Array(width * height);
  let count = 0;
  for (let pixel = 0; pixel < index.length; pixel++) {
    if (index[pixel]! < 0) continue;
    const x = pixel % width, y = (pixel - x) / width;
    for (let cy = Math.max(1, y - 1); cy <= Math.min(height - 2, y + 1); cy++) {
      for (let cx = Math.max(1, x - 1); cx <= Math.min(width - 2, x + 1); cx++) {
        const centre = cy * width + cx;
        if (isCentre[centre] === 0) { isCentre[centre] = 1; count++; }
      }
    }
  }
  const centres = new Int32Array(count);
  for (let pixel = 0, k = 0; pixel < isCentre.length; pixel++) if (isCentre[pixel] === 1) centres[k++] = pixel;
  const means = new Float64Array(centres.length * 3);
  const inverses = new Float64Array(centres.length * 6);
  const regularise = epsilon / 9;
  for (let k = 0; k < centres.length; k++) {
    let m0 = 0, m1 = 0, m2 = 0, c00 = 0, c01 = 0, c02 = 0, c11 = 0, c12 = 0, c22 = 0;
    for (let j = 0; j < 9; j++) {
      const c = (centres[k]! + ((j / 3) | 0) * width - width + (j % 3) - 1) * 3;
      const r = data[c]!, g = data[c + 1]!, b = data[c + 2]!;
      m0 += r; m1 += g; m2 += b; c00 += r * r; c01 += r * g; c02 += r * b; c11 += g * g; c12 += g * b; c22 += b * b;
    }
    m0 /= 9; m1 /= 9; m2 /= 9;
    const a = c00 / 9 - m0 * m0 + regularise, bq = c01 / 9 - m0 * m1, cq = c02 / 9 - m0 * m2;
    const d = c11 / 9 - m1 * m1 + regularise, e = c12 / 9 - m1 * m2, f = c22 / 9 - m2 * m2 + regularise;
    const i00 = d * f - e * e, i01 = cq * e - bq * f, i02 = bq * e - cq * d, i11 = a * f - cq * cq, i12 = bq * cq - a * e, i22 = a * d - bq * bq;
    const determinant = a * i00 + bq * i01 + cq * i02;
    means[k * 3] = m0; means[k * 3 + 1] = m1; means[k * 3 + 2] = m2;
    const scale = 1 / determinant;
    inverses[k * 6] = i00 * scale; inverses[k * 6 + 1] = i01 * scale; inverses[k * 6 + 2] = i02 * scale;
    inverses[k * 6 + 3] = i11 * scale; inverses[k * 6 + 4] = i12 * scale; inverses[k * 6 + 5] = i22 * scale;
  }
  return { centres, means, inverses };
}

/**
 * Adds (L·field) at the band's pixels into `target` (indexed by band order `index[pixel]`); with `diagonal`, also adds
 * L's diagonal there. Per window: `x − x̄ − (I − μ)ᵀ(Σ + ε/9·I₃)⁻¹·mean((I − μ)x)` (Levin et al. 2008, eq. 12).
 */
export function applyMattingLaplacian(windows: MattingWindows, colors: Float32Array, index: Int32Array, width: number, field: Float32Array, target: Float64Array, diagonal?: Float64Array): void {
  const { centres, means, inverses } = windows;
  const offsets = Int32Array.of(-width - 1, -width, -width + 1, -1, 0, 1, width - 1, width, width + 1);
  for (let k = 0; k < centres.length; k++) {
    const centre = centres[k]!;
    const m0 = means[k * 3]!, m1 = means[k * 3 + 1]!, m2 = means[k * 3 + 2]!;
    const i00 = inverses[k * 6]!, i01 = inverses[k * 6 + 1]!, i02 = inverses[k * 6 + 2]!, i11 = inverses[k * 6 + 3]!, i12 = inverses[k * 6 + 4]!, i22 = inverses[k * 6 + 5]!;
    let mean = 0, v0 = 0, v1 = 0, v2 = 0;
    for (let j = 0; j < 9; j++) {
      const pixel = centre + offsets[j]!;
      const value = field[pixel]!;
      const c = pixel * 3;
      mean += value; v0 += (colors[c]! - m0) * value; v1 += (colors[c + 1]! - m1) * value; v2 += (colors[c + 2]! - m2) * value;
    }
    mean /= 9; v0 /= 9; v1 /= 9; v2 /= 9;
    const w0 = i00 * v0 + i01 * v1 + i02 * v2, w1 = i01 * v0 + i11 * v1 + i12 * v2, w2 = i02 * v0 + i12 * v1 + i22 * v2;
    for (let j = 0; j < 9; j++) {
      const pixel = centre + offsets[j]!;
      const u = index[pixel]!;
      if (u < 0) continue;
      const c = pixel * 3;
      const d0 = colors[c]! - m0, d1 = colors[c + 1]! - m1, d2 = colors[c + 2]! - m2;
      target[u]! += field[pixel]! - mean - (d0 * w0 + d1 * w1 + d2 * w2);
      if (diagonal !== undefined) {
        const quadratic = d0 * (i00 * d0 + i01 * d1 + i02 * d2) + d1 * (i01 * d0 + i11 * d1 + i12 * d2) + d2 * (i02 * d0 + i12 * d1 + i22 * d2);
        diagonal[u]! += 1 - (1 + quadratic) / 9;
      }
    }
  }
}
