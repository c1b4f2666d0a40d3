import { describe, expect, it } from 'vitest';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { refinementSettingsSchema, type RefinementSettings } from '../../shared/settings';
import { BandMemo } from './bandMemo';
import { refineCutout } from './refineCutout';
import type { StageTimings } from './stageTimer';

const width = 96, height = 64;
/** A textured two-colour picture with a soft, wavy edge, and a low-resolution matte of it that is a little off. */
function scene(): { image: Image8; matte: AlphaMatte } {
  const image: Image8 = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = 48 + 6 * Math.sin(y / 5);
      const alpha = Math.min(1, Math.max(0, (edge - x) / 4 + 0.5));
      const pixel = (y * width + x) * 3;
      image.data[pixel] = Math.round(alpha * 220 + (1 - alpha) * 30 + ((x * 7 + y * 3) % 11));
      image.data[pixel + 1] = Math.round(alpha * 160 + (1 - alpha) * 90);
      image.data[pixel + 2] = Math.round(alpha * 90 + (1 - alpha) * 200 + ((x + y) % 5));
    }
  }
  const matte: AlphaMatte = { width: 48, height: 32, channels: 1, data: new Float32Array(48 * 32) };
  for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) matte.data[y * 48 + x] = Math.min(1, Math.max(0, (25 + 3 * Math.sin((2 * y) / 5) - x) / 3 + 0.5));
  return { image, matte };
}

const base: RefinementSettings = refinementSettingsSchema.parse({ edgeRadiusPx: 4 });

async function refine(memo: BandMemo | undefined, settings: RefinementSettings, change: Partial<{ matte: AlphaMatte; refineEdgeMask: Image8 }> = {}) {
  const { image, matte } = scene();
  const timings: StageTimings = {};
  const cutout = await refineCutout(image, change.matte ?? matte, settings, timings, { bandMemo: memo, refineEdgeMask: change.refineEdgeMask });
  return { cutout, timings };
}

describe('BandMemo in refineCutout', () => {
  it('reuses the band when only later settings change, with the same bits as refining afresh', async () => {
    const memo = new BandMemo();
    const first = await refine(memo, base);
    expect(first.timings.edgeBand).toBeGreaterThanOrEqual(0);
    for (const later of [{ radiusPx: 20 }, { spillStrength: 0.9 }, { featherPx: 2 }, { shiftEdgePx: -1 }, { contrast: 40 }, {}]) {
      const settings = { ...base, ...later };
      const reused = await refine(memo, settings);
      expect(reused.timings.bandMemo, JSON.stringify(later)).toBe(1);
      expect(reused.timings.edgeBand).toBeUndefined();
      const fresh = await refine(undefined, settings);
      expect(Buffer.from(reused.cutout.alpha.data.buffer).equals(Buffer.from(fresh.cutout.alpha.data.buffer)), JSON.stringify(later)).toBe(true);
      expect(Buffer.from(reused.cutout.foreground.data.buffer).equals(Buffer.from(fresh.cutout.foreground.data.buffer))).toBe(true);
    }
  });

  it('solves the band again when the matte, the Refine Edge marks or the edge settings change', async () => {
    const memo = new BandMemo();
    await refine(memo, base);
    const { matte } = scene();
    matte.data[100] = 0.5; // one pixel of the model's matte
    const marks: Image8 = { width, height, channels: 1, data: new Uint8Array(width * height) };
    marks.data[30 * width + 20] = 255;
    for (const [label, settings, change] of [
      ['matte', base, { matte }],
      ['marks', base, { refineEdgeMask: marks }],
      ['edge radius', { ...base, edgeRadiusPx: 6 }, {}],
      ['smart radius', { ...base, smartRadius: !base.smartRadius }, {}],
      ['cartoon mode', { ...base, cartoonMode: 'on' as const }, {}],
    ] as const) {
      const again = await refine(memo, settings, change);
      expect(again.timings.bandMemo, label).toBeUndefined();
      expect(again.timings.edgeBand, label).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('BandMemo', () => {
  const key = (index: number) => `picture ${index}`;
  const plane = (value: number, length = 16) => new Float32Array(length).fill(value);

  it('keeps the last pictures used, each as it was remembered', () => {
    const memo = new BandMemo(2);
    const first = plane(1);
    memo.set(key(1), first, false);
    first.fill(9); // the caller refines its matte in place afterwards: the memo holds its own copy
    memo.set(key(2), plane(2), true);
    expect(memo.get(key(1))!.alpha).toEqual(plane(1)); // now the most recently used
    memo.set(key(3), plane(3), false); // evicts picture 2
    expect(memo.get(key(2))).toBeUndefined();
    expect(memo.get(key(1))!.alpha).toEqual(plane(1));
    expect(memo.get(key(3))).toEqual({ alpha: plane(3), isCartoon: false });
    memo.set(key(4), plane(4, 8), true); // a smaller picture evicts picture 1
    expect(memo.get(key(4))).toEqual({ alpha: plane(4, 8), isCartoon: true });
    expect(memo.get(key(3))!.alpha).toEqual(plane(3));
    expect(memo.get(key(1))).toBeUndefined();
  });

  it('copies a new picture into the evicted entry of the same size, leaving the other entries as they were', () => {
    const memo = new BandMemo(2);
    memo.set(key(1), plane(1), false);
    memo.set(key(2), plane(2), false);
    const second = memo.get(key(2))!.alpha;
    const first = memo.get(key(1))!.alpha; // picture 1 is now the most recent: picture 2 goes next
    memo.set(key(3), plane(3), true);
    expect(memo.get(key(2))).toBeUndefined();
    const third = memo.get(key(3))!;
    expect(third).toEqual({ alpha: plane(3), isCartoon: true });
    expect(third.alpha).toBe(second); // no fresh memory for a same-sized picture
    expect(memo.get(key(1))!.alpha).toBe(first);
    expect(first).toEqual(plane(1));
    memo.set(key(4), plane(4, 8), false); // another size evicts picture 3 and gets an array of its own
    expect(memo.get(key(4))!.alpha).toEqual(plane(4, 8));
    expect(memo.get(key(1))!.alpha).toEqual(plane(1));
    memo.set(key(1), plane(5), true); // the same picture again replaces its entry
    expect(memo.get(key(1))).toEqual({ alpha: plane(5), isCartoon: true });
  });

  it('remembers nothing with no room', () => {
    const memo = new BandMemo(0);
    memo.set(key(1), plane(1), false);
    expect(memo.get(key(1))).toBeUndefined();
  });
});
