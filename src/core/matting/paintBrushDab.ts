import { expectation } from '../imageTypes';
import type { MaskEdit } from './maskEdit';

/** One brush dab. */
export interface BrushDab {
  /** Centre in image pixels. */
  x: number;
  y: number;
  /** Brush diameter in image pixels. */
  sizePx: number;
  /** Share of the radius that is fully solid, 0–1 (1 = hard edge). @default 0.8 */
  hardness?: number;
  /** Strength of one dab, 0–1. @default 1 */
  opacity?: number;
  /** Pen pressure, 0–1, multiplies opacity. @default 1 */
  pressure?: number;
  /**
   * On the `matte` plane `add` paints the subject in and `subtract` paints it out; on the `refineEdge` plane `add`
   * marks pixels for edge refinement and `subtract` erases marks.
   */
  mode: 'add' | 'subtract';
  /** Which plane the dab paints: the matte's add/remove pair, or the Refine Edge marks. @default 'matte' */
  plane?: 'matte' | 'refineEdge';
}

/** The pixel rectangle a dab touched: `[x0, y0, x1, y1)`; empty when `x1 <= x0`. */
export interface DirtyRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Paints one dab into a mask edit: coverage falls off smoothly from the hard core to the rim; `add` raises the add
 * plane toward 255 and lowers the remove plane by the same share (and the other way round for `subtract`), so the
 * newest stroke wins. On the `refineEdge` plane `add` raises the marks and `subtract` lowers them, leaving the matte
 * planes alone. Returns the rectangle it touched, so callers repaint and record only those tiles.
 */
export function paintBrushDab(edit: MaskEdit, dab: BrushDab): DirtyRect {
  if (!(dab.sizePx > 0) || !Number.isFinite(dab.x) || !Number.isFinite(dab.y)) {
    throw new RangeError(expectation('a positive size and a finite centre', 'dab', { x: dab.x, y: dab.y, sizePx: dab.sizePx }));
  }
  const radius = dab.sizePx / 2;
  const hardness = Math.min(1, Math.max(0, dab.hardness ?? 0.8));
  const strength = Math.min(1, Math.max(0, dab.opacity ?? 1)) * Math.min(1, Math.max(0, dab.pressure ?? 1));
  const x0 = Math.max(0, Math.floor(dab.x - radius));
  const y0 = Math.max(0, Math.floor(dab.y - radius));
  const x1 = Math.min(edit.width, Math.ceil(dab.x + radius));
  const y1 = Math.min(edit.height, Math.ceil(dab.y + radius));
  const isMatte = (dab.plane ?? 'matte') === 'matte';
  const raise = isMatte ? (dab.mode === 'add' ? edit.add : edit.remove) : dab.mode === 'add' ? edit.refineEdge : undefined;
  const lower = isMatte ? (dab.mode === 'add' ? edit.remove : edit.add) : dab.mode === 'subtract' ? edit.refineEdge : undefined;
  const solid = radius * hardness;
  const falloff = Math.max(1e-6, radius - solid);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const distance = Math.hypot(x + 0.5 - dab.x, y + 0.5 - dab.y);
      if (distance >= radius) continue;
      const edge = distance <= solid ? 1 : 1 - (distance - solid) / falloff;
      const coverage = strength * edge * edge * (3 - 2 * edge); // smoothstep rim
      const index = y * edit.width + x;
      if (raise) raise[index] = Math.round(raise[index]! + (255 - raise[index]!) * coverage);
      if (lower) lower[index] = Math.round(lower[index]! * (1 - coverage));
    }
  }
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}
