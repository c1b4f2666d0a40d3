/**
 * Strips of a still that take about the same time to refine, for refining them side by side on several workers. Rows
 * do not cost the same: every pixel goes through colour estimation, spill and composing, but only the edge band's
 * pixels go through the band solver, which costs far more per pixel, and a portrait's band is seldom spread evenly
 * (hair at the top, or shoulders and loose hair at the bottom). Cut at equal heights, the 1080p test portrait gave one
 * worker 3× the other's band pixels, and the still waited for the slow strip.
 */
import type { AlphaMatte } from '../../core/imageTypes';
import { DECIDED_ALPHA_MARGIN } from '../../core/matting/edgeBandTrimap';
import { stripSpan, type StripSpan } from '../pipeline/refineInStrips';

/**
 * Cost of a partly transparent pixel beyond a plain pixel's, in plain pixels: the band solver's work per band pixel
 * (with the band that grows around each soft pixel) against colour estimation, spill and composing per pixel. Fitted
 * on the 1080p test portrait (strips refined one after another, medians): cut in two, 343 and 361 ms, where equal
 * heights took 174 and 416 ms; 7 left the lower strip 17 % slower, and in three strips 10 was within noise of 4 and 7.
 */
export const softPixelCost = 10;

/** Each row's estimated refinement work, in plain-pixel units: its width plus the cost of its partly transparent pixels. */
export function rowWorkOf(alpha: AlphaMatte): Float64Array {
  const { width, height, data } = alpha;
  const work = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let soft = 0;
    const end = (y + 1) * width;
    for (let pixel = y * width; pixel < end; pixel++) {
      const value = data[pixel]!;
      if (value > DECIDED_ALPHA_MARGIN && value < 1 - DECIDED_ALPHA_MARGIN) soft++; // as the edge band's trimap counts it
    }
    work[y] = width + softPixelCost * soft;
  }
  return work;
}

/**
 * Cuts the rows into `count` strips of about equal work, each read with `overlap` extra rows per side (the overlap's
 * work counts too: a strip refines every row it reads). Every strip keeps at least one row.
 */
export function planBalancedStrips(rowWork: ArrayLike<number>, overlap: number, count: number): StripSpan[] {
  const height = rowWork.length;
  const strips = Math.max(1, Math.min(count, height));
  const before = new Float64Array(height + 1); // before[y]: the work of rows [0, y)
  for (let y = 0; y < height; y++) before[y + 1] = before[y]! + rowWork[y]!;
  const workOf = (top: number, bottom: number) => before[Math.min(height, bottom + overlap)]! - before[Math.max(0, top - overlap)]!;
  // The smallest largest-strip work that still fits the rows into `strips` strips, by bisection on that work.
  const cutsFor = (limit: number): number[] | undefined => {
    const cuts: number[] = [];
    let top = 0;
    while (top < height) {
      let bottom = top + 1;
      while (bottom < height && workOf(top, bottom + 1) <= limit) bottom++;
      cuts.push(bottom);
      if (cuts.length > strips) return undefined;
      top = bottom;
    }
    return cuts;
  };
  let low = 0;
  let high = workOf(0, height);
  let best = cutsFor(high)!;
  for (let round = 0; round < 40 && high - low > 1; round++) {
    const middle = (low + high) / 2;
    const cuts = cutsFor(middle);
    if (cuts) [high, best] = [middle, cuts];
    else low = middle;
  }
  return spansFrom(evenOut(best, strips, height), height, overlap);
}

/** Splits the longest strips until there are exactly `strips` (bisection may find fewer strips fit the work). */
function evenOut(cuts: number[], strips: number, height: number): number[] {
  const bottoms = [...cuts];
  while (bottoms.length < strips) {
    let widest = 0;
    for (let index = 1; index < bottoms.length; index++) if (rowsOf(bottoms, index) > rowsOf(bottoms, widest)) widest = index;
    if (rowsOf(bottoms, widest) < 2) break;
    const top = widest === 0 ? 0 : bottoms[widest - 1]!;
    bottoms.splice(widest, 0, top + Math.floor(rowsOf(bottoms, widest) / 2));
  }
  if (bottoms[bottoms.length - 1] !== height) throw new Error(`strips end at row ${bottoms[bottoms.length - 1]}, not ${height}`);
  return bottoms;
}

function rowsOf(bottoms: number[], index: number): number {
  return bottoms[index]! - (index === 0 ? 0 : bottoms[index - 1]!);
}

function spansFrom(bottoms: number[], height: number, overlap: number): StripSpan[] {
  return bottoms.map((bottom, index) => stripSpan(index === 0 ? 0 : bottoms[index - 1]!, bottom, height, overlap));
}
