/**
 * Van Herk / Gil-Werman running extremum along columns, in place, done a whole row at a time so memory is read in
 * order: per block of `2r + 1` padded rows, running extrema from the block's start (`prefix`) and end (`suffix`);
 * output row `y` is `max(suffix[y], prefix[y + 2r])` in padded rows. Rows outside the image count as −∞.
 * @param data Interleaved samples, `height` rows of `rowLength`.
 * @param rowLength Samples per row (width × channels).
 * @param height Number of rows.
 * @param radius Rows reached above and below, ≥ 0.
 * @param sign 1 for a maximum, −1 for a minimum.
 */
export function columnExtremum(data: Float32Array, rowLength: number, height: number, radius: number, sign: number): void {
  if (radius === 0) return;
  const size = 2 * radius + 1;
  const paddedRows = height + 2 * radius;
  const prefix = new Float32Array(paddedRows * rowLength);
  const suffix = new Float32Array(paddedRows * rowLength);
  // Padded row p holds source row p − radius; rows outside the image are −∞ (in sign·value space).
  for (let p = 0; p < paddedRows; p++) extendRun(prefix, data, p, p % size === 0 ? -1 : p - 1, rowLength, radius, height, sign);
  for (let p = paddedRows - 1; p >= 0; p--) {
    extendRun(suffix, data, p, p % size === size - 1 || p === paddedRows - 1 ? -1 : p + 1, rowLength, radius, height, sign);
  }
  for (let y = 0; y < height; y++) {
    for (let index = 0, at = y * rowLength, ahead = (y + 2 * radius) * rowLength; index < rowLength; index++) {
      const early = suffix[at + index]!;
      const late = prefix[ahead + index]!;
      data[at + index] = sign * (early > late ? early : late);
    }
  }
}

/** Sets padded row `p` of `runs` to sign·(source row p − radius), combined with row `previous` of `runs` unless −1. */
function extendRun(runs: Float32Array, data: Float32Array, p: number, previous: number, rowLength: number, radius: number, height: number, sign: number): void {
  const at = p * rowLength;
  const source = (p - radius) * rowLength;
  const isInside = p >= radius && p < height + radius;
  if (previous < 0) {
    if (isInside) for (let index = 0; index < rowLength; index++) runs[at + index] = sign * data[source + index]!;
    else runs.fill(-Infinity, at, at + rowLength);
  } else if (!isInside) {
    runs.copyWithin(at, previous * rowLength, previous * rowLength + rowLength);
  } else {
    for (let index = 0, before = previous * rowLength; index < rowLength; index++) {
      const value = sign * data[source + index]!;
      const running = runs[before + index]!;
      runs[at + index] = value > running ? value : running;
    }
  }
}
