import { describe, expect, it } from 'vitest';
import type { AlphaMatte } from '../imageTypes';
import { edgeBandTrimap, TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, TRIMAP_UNKNOWN } from './edgeBandTrimap';

const row = (values: number[], rows = 1): AlphaMatte => ({ width: values.length, height: rows, channels: 1, data: Float32Array.from({ length: values.length * rows }, (_, index) => values[index % values.length]!) });
const B = TRIMAP_BACKGROUND, U = TRIMAP_UNKNOWN, F = TRIMAP_FOREGROUND;

describe('edgeBandTrimap', () => {
  it('marks a band of the given radius around the 0.5 contour of a hard edge', () => {
    const hard = row([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // The contour lies between pixels 4 and 5; pixels within 2 px of it (centres at 0.5 and 1.5) are unknown.
    expect([...edgeBandTrimap(hard, { radiusPx: 2, isSmartRadius: false }).data]).toEqual([B, B, B, U, U, U, U, F, F, F]);
    expect([...edgeBandTrimap(hard, { radiusPx: 0, isSmartRadius: false }).data]).toEqual([B, B, B, B, B, F, F, F, F, F]);
  });

  it('always marks partly transparent pixels unknown, however far from the contour', () => {
    const faint = row([0, 0.3, 0, 0, 0, 0, 1, 1]);
    expect([...edgeBandTrimap(faint, { radiusPx: 1, isSmartRadius: false }).data]).toEqual([B, U, B, B, B, U, U, F]);
  });

  it('with Smart Radius narrows the band on hard edges and keeps it on soft ones', () => {
    const hard = row([...new Array(12).fill(0), ...new Array(12).fill(1)]);
    const soft = row([...new Array(8).fill(0), 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, ...new Array(8).fill(1)]);
    const count = (trimap: ReturnType<typeof edgeBandTrimap>) => [...trimap.data].filter((value) => value === U).length;
    // Hard: minimum radius 2 → 4 unknown pixels; without Smart Radius the full 6 px → 12.
    expect(count(edgeBandTrimap(hard, { radiusPx: 6 }))).toBe(4);
    expect(count(edgeBandTrimap(hard, { radiusPx: 6, isSmartRadius: false }))).toBe(12);
    // Soft (8 partly transparent pixels in the window): full radius, 6 px either side of the contour.
    expect(count(edgeBandTrimap(soft, { radiusPx: 6 }))).toBe(12);
  });

  it('writes into a given destination whatever it held, and rejects one of another size', () => {
    const faint = row([0, 0.3, 0, 0, 0, 0, 1, 1], 2);
    const out = { width: 8, height: 2, channels: 1, data: new Uint8Array(16).fill(77) };
    expect(edgeBandTrimap(faint, { radiusPx: 1, isSmartRadius: false, out })).toBe(out);
    expect([...out.data]).toEqual([...edgeBandTrimap(faint, { radiusPx: 1, isSmartRadius: false }).data]);
    expect([...out.data.subarray(0, 8)]).toEqual([B, U, B, B, B, U, U, F]);
    expect(() => edgeBandTrimap(faint, { out: { ...out, height: 1, data: new Uint8Array(8) } })).toThrow(RangeError);
  });

  it('rejects bad options', () => {
    expect(() => edgeBandTrimap(row([0, 1]), { radiusPx: -1 })).toThrow('Expected a finite number ≥ 0 for options.radiusPx but received -1');
    expect(() => edgeBandTrimap(row([0, 1]), { margin: 0.5 })).toThrow(RangeError);
  });
});
