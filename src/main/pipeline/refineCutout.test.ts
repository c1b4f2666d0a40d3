import { describe, expect, it } from 'vitest';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { defaultStillSettings, refinementSettingsSchema } from '../../shared/settings';
import { openWorkingScope } from '../../core/workingArrays';
import { BandMemo } from './bandMemo';
import { refineCutout } from './refineCutout';

const SIZE = 48;
/** A flat grey disc traced by a 1-px black outline on white, and a matte that cuts into the outline (α 0.4). */
function outlinedDisc(): { image: Image8; matte: AlphaMatte } {
  const image: Image8 = { width: SIZE, height: SIZE, channels: 3, data: new Uint8Array(SIZE * SIZE * 3).fill(255) };
  const matte: AlphaMatte = { width: SIZE, height: SIZE, channels: 1, data: new Float32Array(SIZE * SIZE) };
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const distance = Math.hypot(x - 23.5, y - 23.5);
      const pixel = y * SIZE + x;
      if (distance < 14) { image.data.fill(150, pixel * 3, pixel * 3 + 3); matte.data[pixel] = 1; }
      else if (distance < 15) { image.data.fill(0, pixel * 3, pixel * 3 + 3); matte.data[pixel] = 0.4; }
    }
  }
  return { image, matte };
}

const ink = (alpha: AlphaMatte) => [...alpha.data].filter((_, pixel) => { const d = Math.hypot((pixel % SIZE) - 23.5, Math.floor(pixel / SIZE) - 23.5); return d >= 14 && d < 15; });

describe('refineCutout', () => {
  it('makes a cartoon outline opaque in auto and on modes, and leaves it alone when off', async () => {
    const { image, matte } = outlinedDisc();
    const base = { ...defaultStillSettings().refinement, edgeRadiusPx: 0, radiusPx: 0, spillStrength: 0 };
    const off = await refineCutout(image, matte, { ...base, cartoonMode: 'off' }, {});
    const auto = await refineCutout(image, matte, { ...base, cartoonMode: 'auto' }, {});
    expect(off.isCartoon).toBe(false);
    expect(auto.isCartoon).toBe(true);
    expect(Math.max(...ink(off.alpha))).toBeLessThan(0.9);
    expect(Math.min(...ink(auto.alpha))).toBe(1);
  });

  it('runs the edge band, decontamination and spill stages and records their timings', async () => {
    const { image, matte } = outlinedDisc();
    const timings: Record<string, number> = {};
    const settings = refinementSettingsSchema.parse({ decontaminate: true, cartoonMode: 'off' });
    const result = await refineCutout(image, matte, settings, timings);
    expect(Object.keys(timings)).toEqual(expect.arrayContaining(['upsample', 'edgeBand', 'foreground', 'decontaminate']));
    result.alpha.data.forEach((value) => expect(value >= 0 && value <= 1).toBe(true));
    const none = await refineCutout(image, matte, { ...settings, edgeRadiusPx: 0, decontaminate: false }, {});
    expect(none.alpha.data).not.toEqual(result.alpha.data);
  });

  it('refines the same in borrowed planes, matte included when asked, from the band memo too', async () => {
    const { image, matte } = outlinedDisc();
    const settings = { ...defaultStillSettings().refinement, cartoonMode: 'off' as const };
    const own = await refineCutout(image, matte, settings, {});
    expect(own.alpha.data.buffer.byteLength).toBe(own.alpha.data.byteLength); // an array of its own
    const memo = new BandMemo();
    for (const pass of ['solved', 'remembered']) {
      const stale = openWorkingScope(); // the arena holds other bytes than the last pass left
      stale.borrow(Float32Array, SIZE * SIZE * 16).fill(Number.NaN);
      stale.close();
      const scope = openWorkingScope();
      try {
        const timings: Record<string, number> = {};
        const borrowed = await refineCutout(image, matte, settings, timings, { borrowPlanes: scope.borrow, borrowAlpha: true, bandMemo: memo });
        expect(timings.bandMemo, pass).toBe(pass === 'remembered' ? 1 : undefined);
        expect(borrowed.alpha.data, pass).toEqual(own.alpha.data);
        expect(borrowed.foreground.data, pass).toEqual(own.foreground.data);
        expect(borrowed.alpha.data.buffer.byteLength, pass).toBeGreaterThan(borrowed.alpha.data.byteLength); // a view into the arena
      } finally {
        scope.close();
      }
    }
    const scope = openWorkingScope();
    try {
      const kept = await refineCutout(image, matte, settings, {}, { borrowPlanes: scope.borrow });
      expect(kept.alpha.data.buffer.byteLength).toBe(kept.alpha.data.byteLength); // not asked: the matte outlives the scope
    } finally {
      scope.close();
    }
  });

  it('re-solves alpha where the Refine Edge brush painted, even with the edge band off', async () => {
    const { image, matte } = outlinedDisc();
    const settings = { ...defaultStillSettings().refinement, edgeRadiusPx: 0, cartoonMode: 'off' as const, radiusPx: 0, spillStrength: 0 };
    const painted = new Uint8Array(SIZE * SIZE);
    for (let pixel = 0; pixel < SIZE * 24; pixel++) painted[pixel] = 1; // the top half
    const brushed = await refineCutout(image, matte, settings, {}, { refineEdgeMask: { width: SIZE, height: SIZE, channels: 1, data: painted } });
    const plain = await refineCutout(image, matte, settings, {});
    const changed = [...brushed.alpha.data].map((value, pixel) => value !== plain.alpha.data[pixel]);
    expect(changed.slice(0, SIZE * 24).some(Boolean)).toBe(true);
    expect(changed.slice(SIZE * 26).some(Boolean)).toBe(false);
    await expect(refineCutout(image, matte, settings, {}, { refineEdgeMask: { width: 2, height: 2, channels: 1, data: new Uint8Array(4) } })).rejects.toThrow(RangeError);
  });
});
