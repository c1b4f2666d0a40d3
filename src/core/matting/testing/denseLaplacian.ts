// Test reference: the matting Laplacian built densely, straight from the paper, to check the band solver's stencils against.
import type { FloatImage } from '../../imageTypes';

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
export function denseLaplacian(image: FloatImage, epsilon: number): number[][] {
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
