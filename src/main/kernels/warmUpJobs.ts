/**
 * Small synthetic strips that bring a fresh kernel worker's refinement code up to V8's optimised tiers before it
 * takes real work: a textured picture with a soft-edged figure, so every stage (edge band and its solver, colour
 * estimation, spill, composing) runs over a real edge. Made from the still that woke the worker, so its settings and
 * layouts take the same paths.
 */
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import type { RefineJob } from './refineJob';

/** How many warm-up strips: measured on the 2-core VM, the third brings a strip's time within a few % of a warm one. */
const warmUpRounds = 3;
const width = 640;
const height = 360;

/** The warm-up strips for a worker that will take strips of `still`. */
export function warmUpJobs(still: RefineJob): RefineJob[] {
  const image = syntheticPicture();
  const matte = syntheticFigure();
  const layouts = still.layouts ?? ['straight' as const];
  const background: Image8 | undefined = layouts.includes('composite') ? { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(128) } : undefined;
  // An explicit outline verdict, as the strips of a still carry one (refineStillAcrossWorkers.ts).
  const settings = { ...still.settings, cartoonMode: 'off' as const };
  return Array.from({ length: warmUpRounds }, () => ({ image, matte, matteIsUpsampled: true, settings, output: still.output, layouts, background }));
}

/** A warm figure on a cool, striped background, with some fine texture. */
function syntheticPicture(): Image8 {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = (y * width + x) * 3;
      const inside = insideness(x, y) > 0.5;
      const texture = ((x * 7 + y * 13) % 23) - 11;
      data[pixel] = clampByte((inside ? 200 : 40) + texture);
      data[pixel + 1] = clampByte((inside ? 150 : 170) + ((x >> 4) % 2) * 30 + texture);
      data[pixel + 2] = clampByte((inside ? 120 : 90) - texture);
    }
  }
  return { width, height, channels: 3, data };
}

/** The figure's alpha: an ellipse with a soft edge a dozen pixels wide. */
function syntheticFigure(): AlphaMatte {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = insideness(x, y);
  return { width, height, channels: 1, data };
}

function insideness(x: number, y: number): number {
  const distance = Math.hypot((x - width / 2) / (width * 0.3), (y - height * 0.6) / (height * 0.45));
  return Math.min(1, Math.max(0, (1 - distance) * 20 + 0.5));
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}
