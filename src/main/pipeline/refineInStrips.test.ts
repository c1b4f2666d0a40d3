import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { compositeOver } from '../../core/matting/compositeOver';
import { composeRgba } from '../../core/matting/premultiply';
import { refinementSettingsSchema, type RefinementSettings } from '../../shared/settings';
import { fixture, hasFixtures, missingFixturesReason } from '../testing/fixtures';
import { refineCutout } from './refineCutout';
import { planStrips, refineLayersInStrips, stripOverlapRows } from './refineInStrips';

if (!hasFixtures) console.warn(missingFixturesReason);

async function rgb(path: string): Promise<Image8> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** The true alpha shrunk to 320 px: a realistic low-resolution model matte with real hair. */
async function lowResMatte(path: string): Promise<AlphaMatte> {
  const { data, info } = await sharp(path).greyscale().resize(320, 320, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: Float32Array.from(data, (value) => value / 255) };
}

/** Differences between two byte buffers: the largest and the mean. */
function compare(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = Math.abs(a[index]! - b[index]!);
    max = Math.max(max, difference);
    sum += difference;
  }
  return { max, mean: sum / a.length };
}

describe('planStrips', () => {
  it('covers every row exactly once with kept rows, and reads the overlap inside the picture', () => {
    for (const [width, height, overlap, pixels] of [[6000, 4000, 70, 2_000_000], [100, 1000, 30, 6_400], [50, 10, 5, 1]] as const) {
      const spans = planStrips(width, height, overlap, pixels);
      expect(spans[0]!.top).toBe(0);
      expect(spans.at(-1)!.bottom).toBe(height);
      for (const [index, span] of spans.entries()) {
        if (index > 0) expect(span.top).toBe(spans[index - 1]!.bottom);
        expect(span.readTop).toBe(Math.max(0, span.top - overlap));
        expect(span.readBottom).toBe(Math.min(height, span.bottom + overlap));
      }
    }
  });

  it('reads further for settings that reach further', () => {
    const settings = refinementSettingsSchema.parse({});
    expect(stripOverlapRows({ ...settings, radiusPx: 300 })).toBeGreaterThan(stripOverlapRows(settings) + 100);
    expect(stripOverlapRows({ ...settings, featherPx: 10 })).toBeGreaterThan(stripOverlapRows(settings) + 20);
  });
});

describe.skipIf(!hasFixtures)('refining in strips (GT05, true alpha as the model matte)', () => {
  it('gives what refining the whole picture gives, in every layout, across many strip seams', async () => {
    const image = await rgb(fixture('gt_alpha/mmagic_GT05/GT05_merged.jpg'));
    const matte = await lowResMatte(fixture('gt_alpha/mmagic_GT05/GT05_alpha.jpg'));
    const background: Image8 = { width: image.width, height: image.height, channels: 3, data: new Uint8Array(image.width * image.height * 3).fill(40) };
    const settings: RefinementSettings = refinementSettingsSchema.parse({ decontaminate: true, featherPx: 1 });
    const whole = await refineCutout(image, matte, settings, {});
    const expected = {
      straight: composeRgba(whole.foreground, whole.alpha).data,
      composite: compositeOver(whole.foreground, whole.alpha, background).data,
    };
    // Strips of 64 rows: a dozen seams through hair and face.
    const strips = await refineLayersInStrips({ image, matte, settings, layouts: ['straight', 'gray', 'composite'], background }, () => {}, image.width * 64);
    expect(strips.isCartoon).toBe(whole.isCartoon);
    // Straight colour under α ≈ 0 is invisible (and estimated from far away): compare it where it shows, α ≥ 10 %.
    const visible = (rgba: Uint8Array) => rgba.map((value, index) => (expected.straight[index - (index % 4) + 3]! >= 26 ? value : 0));
    const straight = compare(visible(strips.layers.straight!.data), visible(expected.straight));
    const composite = compare(strips.layers.composite!.data, expected.composite);
    const alpha = compare(strips.layers.gray!.data, Uint8Array.from(whole.alpha.data, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255)));
    console.log(`strips vs whole: straight max ${straight.max} mean ${straight.mean.toFixed(4)}; alpha max ${alpha.max} mean ${alpha.mean.toFixed(4)}; composite max ${composite.max} mean ${composite.mean.toFixed(4)}`);
    expect(alpha.mean).toBeLessThan(0.05);
    expect(straight.mean).toBeLessThan(0.05);
    expect(composite.mean).toBeLessThan(0.05);
    expect(Math.max(alpha.max, straight.max, composite.max)).toBeLessThanOrEqual(2);
  });

  it('stops between strips when the checkpoint throws', async () => {
    const image = await rgb(fixture('gt_alpha/mmagic_GT05/GT05_merged.jpg'));
    const matte = await lowResMatte(fixture('gt_alpha/mmagic_GT05/GT05_alpha.jpg'));
    let calls = 0;
    const cancel = () => {
      calls += 1;
      if (calls === 3) throw new Error('cancelled');
    };
    await expect(refineLayersInStrips({ image, matte, settings: refinementSettingsSchema.parse({}), layouts: ['straight'] }, cancel, image.width * 64)).rejects.toThrow('cancelled');
    expect(calls).toBe(3);
  });
});
