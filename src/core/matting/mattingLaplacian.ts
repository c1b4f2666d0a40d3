// The matting Laplacian (Levin, Lischinski & Weiss 2008) over 3×3 windows, restricted to a band's rows, for solveBandAlpha.
import { expectation, type FloatImage } from '../imageTypes';
import { withWorkingArrays, type BorrowArray } from '../workingArrays';

/** Side of the stencil: two pixels share a 3×3 window only when they are at most 2 apart in x and in y. */
const SIDE = 5;
/** Coefficients per band pixel: its 5×5 neighbourhood, row by row; slot 12 is the pixel itself. */
export const STENCIL_SIZE = SIDE * SIDE;
export const STENCIL_CENTRE = 12;

/**
 * The band's rows of the matting Laplacian as a 5×5 stencil per band pixel. Assembled once, so each solver iteration
 * is 25 multiply-adds per band pixel instead of re-deriving every window's contribution (4–5× less work per iteration
 * on a 1080p portrait's band, where windows overlap ninefold).
 */
export interface BandLaplacian {
  /** `STENCIL_SIZE` coefficients per band pixel, in band order: row u's coefficient on the pixel at `offsets[s]`. */
  coefficients: Float32Array;
  /** Picture pixel of each band pixel, in band order. */
  pixels: Int32Array;
  /** Picture width the stencil offsets were computed for. */
  width: number;
}

/**
 * Assembles L's rows at the band's pixels (`index[pixel] ≥ 0`, numbered in band order): every 3×3 window that holds a
 * band pixel adds `δᵢⱼ − (1 + (Iᵢ − μ)ᵀ(Σ + ε/9·I₃)⁻¹(Iⱼ − μ))/9` (eq. 12) to row i's coefficient on pixel j. Windows
 * on the frame's border are skipped, so no coefficient couples pixels across a row's end.
 * @param storage Optional arrays to assemble into (`bandSize` pixels, `bandSize · STENCIL_SIZE` coefficients; any
 * contents): the solver passes its working arrays. Fresh ones otherwise.
 */
export function assembleBandLaplacian(
  image: FloatImage,
  index: Int32Array,
  bandSize: number,
  epsilon: number,
  storage?: { pixels: Int32Array; coefficients: Float32Array },
): BandLaplacian {
  const { width, height, data } = image;
  if (storage && (storage.pixels.length !== bandSize || storage.coefficients.length !== bandSize * STENCIL_SIZE)) {
    throw new RangeError(expectation(`arrays of ${bandSize} pixels and ${bandSize * STENCIL_SIZE} coefficients`, 'storage', `${storage.pixels.length} and ${storage.coefficients.length}`));
  }
  const pixels = storage?.pixels ?? new Int32Array(bandSize);
  for (let pixel = 0; pixel < index.length; pixel++) if (index[pixel]! >= 0) pixels[index[pixel]!] = pixel;
  const coefficients = storage ? storage.coefficients.fill(0) : new Float32Array(bandSize * STENCIL_SIZE);
  return withWorkingArrays((borrow) => assembleWindows(data, width, windowCentres(index, width, height, borrow), index, pixels, coefficients, epsilon));
}

/** Each window's term is divided by its 9 pixels. */
const NINTH = 1 / 9;

/** Adds every window's terms to the rows of its band pixels (see {@link assembleBandLaplacian}). */
function assembleWindows(data: Float32Array, width: number, centres: Int32Array, index: Int32Array, pixels: Int32Array, coefficients: Float32Array, epsilon: number): BandLaplacian {
  // slot[i * 9 + j]: where window pixel j falls in window pixel i's stencil.
  const slot = new Int32Array(81);
  for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) slot[i * 9 + j] = (((j / 3) | 0) - ((i / 3) | 0) + 2) * SIDE + ((j % 3) - (i % 3) + 2);
  const deviations = new Float64Array(27);
  const weighted = new Float64Array(27);
  const rows = new Int32Array(9);
  const regularise = epsilon / 9;
  for (let k = 0; k < centres.length; k++) {
    const topLeft = centres[k]! - width - 1;
    let m0 = 0, m1 = 0, m2 = 0, c00 = 0, c01 = 0, c02 = 0, c11 = 0, c12 = 0, c22 = 0;
    for (let j = 0; j < 9; j++) {
      const pixel = topLeft + ((j / 3) | 0) * width + (j % 3);
      rows[j] = index[pixel]!;
      const c = pixel * 3;
      const r = data[c]!, g = data[c + 1]!, b = data[c + 2]!;
      deviations[j * 3] = r; deviations[j * 3 + 1] = g; deviations[j * 3 + 2] = b;
      m0 += r; m1 += g; m2 += b; c00 += r * r; c01 += r * g; c02 += r * b; c11 += g * g; c12 += g * b; c22 += b * b;
    }
    m0 /= 9; m1 /= 9; m2 /= 9;
    const a = c00 / 9 - m0 * m0 + regularise, bq = c01 / 9 - m0 * m1, cq = c02 / 9 - m0 * m2;
    const d = c11 / 9 - m1 * m1 + regularise, e = c12 / 9 - m1 * m2, f = c22 / 9 - m2 * m2 + regularise;
    const i00 = d * f - e * e, i01 = cq * e - bq * f, i02 = bq * e - cq * d, i11 = a * f - cq * cq, i12 = bq * cq - a * e, i22 = a * d - bq * bq;
    // Every term is divided by the window's 9 pixels: folded into the weights here, so the pair loop multiplies only.
    const scale = 1 / (9 * (a * i00 + bq * i01 + cq * i02));
    for (let j = 0; j < 9; j++) {
      const d0 = deviations[j * 3]! - m0, d1 = deviations[j * 3 + 1]! - m1, d2 = deviations[j * 3 + 2]! - m2;
      deviations[j * 3] = d0; deviations[j * 3 + 1] = d1; deviations[j * 3 + 2] = d2;
      weighted[j * 3] = (i00 * d0 + i01 * d1 + i02 * d2) * scale;
      weighted[j * 3 + 1] = (i01 * d0 + i11 * d1 + i12 * d2) * scale;
      weighted[j * 3 + 2] = (i02 * d0 + i12 * d1 + i22 * d2) * scale;
    }
    // The window's 9×9 block is symmetric: each pair's term is formed once and added to both rows that need it.
    for (let i = 0; i < 9; i++) {
      const u = rows[i]!;
      const d0 = deviations[i * 3]!, d1 = deviations[i * 3 + 1]!, d2 = deviations[i * 3 + 2]!;
      const row = u * STENCIL_SIZE;
      if (u >= 0) coefficients[row + STENCIL_CENTRE]! += 1 - NINTH - (d0 * weighted[i * 3]! + d1 * weighted[i * 3 + 1]! + d2 * weighted[i * 3 + 2]!);
      for (let j = i + 1; j < 9; j++) {
        const v = rows[j]!;
        if (u < 0 && v < 0) continue;
        const term = -NINTH - (d0 * weighted[j * 3]! + d1 * weighted[j * 3 + 1]! + d2 * weighted[j * 3 + 2]!);
        if (u >= 0) coefficients[row + slot[i * 9 + j]!]! += term;
        if (v >= 0) coefficients[v * STENCIL_SIZE + slot[j * 9 + i]!]! += term;
      }
    }
  }
  return { coefficients, pixels, width };
}

/** Centres of the 3×3 windows that hold a band pixel, in picture order, skipping the frame's border (borrowed arrays). */
function windowCentres(index: Int32Array, width: number, height: number, borrow: BorrowArray): Int32Array {
  const isCentre = borrow(Uint8Array, width * height).fill(0);
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
  const centres = borrow(Int32Array, count);
  for (let pixel = 0, k = 0; pixel < isCentre.length; pixel++) if (isCentre[pixel] === 1) centres[k++] = pixel;
  return centres;
}

/** A picture-sized field of values (see {@link createStencilField}): picture pixel p is at `values[p + padding]`. */
export interface StencilField {
  values: Float64Array;
  padding: number;
}

/**
 * A picture-sized field with a margin of two rows and two pixels on each side, so a stencil read off the picture's
 * edge lands on a zero instead of outside the array. Write pixel p at `p + padding`. All zero.
 * @param borrow Borrow (and zero) the field from the thread's working arrays (`workingArrays.ts`) instead of allocating it.
 */
export function createStencilField(width: number, height: number, borrow?: BorrowArray): StencilField {
  const padding = 2 * width + 2;
  const length = width * height + 2 * padding;
  return { values: borrow === undefined ? new Float64Array(length) : borrow(Float64Array, length).fill(0), padding };
}

/** `target[u] = Σ_s L[u, s] · field[pixel(u) + offset(s)]` for every band row u (`field` from {@link createStencilField}). */
export function applyBandLaplacian(laplacian: BandLaplacian, field: StencilField, target: Float64Array): void {
  const { coefficients, pixels, width } = laplacian;
  const { values, padding } = field;
  const up2 = -2 * width, up1 = -width, down1 = width, down2 = 2 * width;
  for (let u = 0, row = 0; u < pixels.length; u++, row += STENCIL_SIZE) {
    const centre = pixels[u]! + padding;
    const c = coefficients, v = values;
    // One line of the 5×5 neighbourhood per statement, unrolled: this loop is the solver's whole cost.
    let at = centre + up2;
    let sum = c[row + 0]! * v[at - 2]! + c[row + 1]! * v[at - 1]! + c[row + 2]! * v[at]! + c[row + 3]! * v[at + 1]! + c[row + 4]! * v[at + 2]!;
    at = centre + up1;
    sum += c[row + 5]! * v[at - 2]! + c[row + 6]! * v[at - 1]! + c[row + 7]! * v[at]! + c[row + 8]! * v[at + 1]! + c[row + 9]! * v[at + 2]!;
    at = centre;
    sum += c[row + 10]! * v[at - 2]! + c[row + 11]! * v[at - 1]! + c[row + 12]! * v[at]! + c[row + 13]! * v[at + 1]! + c[row + 14]! * v[at + 2]!;
    at = centre + down1;
    sum += c[row + 15]! * v[at - 2]! + c[row + 16]! * v[at - 1]! + c[row + 17]! * v[at]! + c[row + 18]! * v[at + 1]! + c[row + 19]! * v[at + 2]!;
    at = centre + down2;
    sum += c[row + 20]! * v[at - 2]! + c[row + 21]! * v[at - 1]! + c[row + 22]! * v[at]! + c[row + 23]! * v[at + 1]! + c[row + 24]! * v[at + 2]!;
    target[u] = sum;
  }
}

/**
 * Forward sweep of the SSOR splitting: solves `(D/ω + L_lower) z = w` on the band, in band order, where `L_lower` is
 * the stencil's slots before the centre (which lie earlier in picture order) and `relaxedInverse` holds ω/D per row
 * (a multiply instead of a division on the chain from one row to the next). Each row reads the rows already solved
 * from `field` and writes its own there, so `field` must be zero outside the band; what it holds at band pixels
 * beforehand is never read. Ends with `z` both in `z` and at the band's pixels of `field`. The row's own neighbours
 * are added last, so the sum of the others does not wait for the row solved just before. About half a stencil
 * application.
 */
export function solveLowerSweep(laplacian: BandLaplacian, relaxedInverse: Float64Array, field: StencilField, w: Float64Array, z: Float64Array): void {
  const { coefficients: c, pixels, width } = laplacian;
  const { values: v, padding } = field;
  const up2 = -2 * width, up1 = -width;
  for (let u = 0, row = 0; u < pixels.length; u++, row += STENCIL_SIZE) {
    const centre = pixels[u]! + padding;
    let at = centre + up2;
    let sum = c[row + 0]! * v[at - 2]! + c[row + 1]! * v[at - 1]! + c[row + 2]! * v[at]! + c[row + 3]! * v[at + 1]! + c[row + 4]! * v[at + 2]!;
    at = centre + up1;
    sum += c[row + 5]! * v[at - 2]! + c[row + 6]! * v[at - 1]! + c[row + 7]! * v[at]! + c[row + 8]! * v[at + 1]! + c[row + 9]! * v[at + 2]!;
    sum += c[row + 10]! * v[centre - 2]!;
    sum += c[row + 11]! * v[centre - 1]!;
    const value = (w[u]! - sum) * relaxedInverse[u]!;
    v[centre] = value;
    z[u] = value;
  }
}

/**
 * Backward sweep of the SSOR splitting: solves `(D/ω + L_upper) z = w` on the band, in reverse band order (the
 * stencil's slots after the centre). As {@link solveLowerSweep}, mirrored: `field` zero outside the band, its band
 * values overwritten before they are read.
 */
export function solveUpperSweep(laplacian: BandLaplacian, relaxedInverse: Float64Array, field: StencilField, w: Float64Array, z: Float64Array): void {
  const { coefficients: c, pixels, width } = laplacian;
  const { values: v, padding } = field;
  const down1 = width, down2 = 2 * width;
  for (let u = pixels.length - 1, row = (pixels.length - 1) * STENCIL_SIZE; u >= 0; u--, row -= STENCIL_SIZE) {
    const centre = pixels[u]! + padding;
    let at = centre + down2;
    let sum = c[row + 20]! * v[at - 2]! + c[row + 21]! * v[at - 1]! + c[row + 22]! * v[at]! + c[row + 23]! * v[at + 1]! + c[row + 24]! * v[at + 2]!;
    at = centre + down1;
    sum += c[row + 15]! * v[at - 2]! + c[row + 16]! * v[at - 1]! + c[row + 17]! * v[at]! + c[row + 18]! * v[at + 1]! + c[row + 19]! * v[at + 2]!;
    sum += c[row + 14]! * v[centre + 2]!;
    sum += c[row + 13]! * v[centre + 1]!;
    const value = (w[u]! - sum) * relaxedInverse[u]!;
    v[centre] = value;
    z[u] = value;
  }
}
