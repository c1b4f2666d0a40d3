import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultStillSettings } from '../../shared/settings';
import { createEngine } from '../engine';
import { decodeImage } from '../imageIo/decodeImage';
import { bundledModelsDir, fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import type { StillSettings } from '../../shared/settings';
import { runBatch } from './batch/runBatch';
import type { Engine } from '../engine';

/** Cuts out one file through the pipeline in the given format; returns the item outcome and the output's pixels. */
async function cutout(engine: Engine, input: string, format: 'png' | 'png-premultiplied' | 'matte', settings: StillSettings = defaultStillSettings()) {
  const outDir = await mkdtemp(join(tmpdir(), 'cutout-'));
  const outcome = await runBatch(engine, { inputs: [input], outDir, formats: [format], settings });
  const item = outcome.items[0]!;
  const path = item.outputs[0]?.path;
  const pixels = path ? await sharp(path).raw().toBuffer({ resolveWithObject: true }) : undefined;
  return { item, outDir, path, pixels };
}

const canRun = hasBundledModels && hasFixtures;
if (!canRun) console.warn(hasBundledModels ? missingFixturesReason : missingModelsReason);

describe.skipIf(!canRun)('still cut-out with the bundled IS-Net model', () => {
  const engine = createEngine({ bundledDir: bundledModelsDir, userDir: join(tmpdir(), 'matte-studio-test-empty-user-models') });
  afterAll(() => engine.dispose());

  it('writes a straight-alpha PNG of the portrait at full size, subject opaque and backdrop clear', async () => {
    const input = fixture('portraits/st_people_0_longhair.png');
    const tiers = await engine.models.pickTiers();
    expect(tiers.best?.spec.id).toMatch(/^isnet-fp(16|32)$/);
    const { item: result, outDir, pixels } = await cutout(engine, input, 'png');
    expect(result.tier).toBe(1);
    expect(result.model).toBe(tiers.best!.spec.id);
    expect(result.ep).toBe('cpu');
    const { data, info } = pixels!;
    const source = await decodeImage(input);
    expect([info.width, info.height, info.channels]).toEqual([source.image.width, source.image.height, 4]);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
    // White backdrop corners are background; the face (centre, upper third) is foreground.
    expect(alphaAt(5, 5)).toBeLessThan(10);
    expect(alphaAt(info.width - 6, 5)).toBeLessThan(10);
    expect(alphaAt(Math.round(info.width / 2), Math.round(info.height * 0.35))).toBeGreaterThan(245);
    // Straight alpha: where the subject is opaque, colour equals the source pixel (not darkened by alpha).
    const x = Math.round(info.width / 2);
    const y = Math.round(info.height * 0.35);
    for (let channel = 0; channel < 3; channel++) {
      expect(Math.abs(data[(y * info.width + x) * 4 + channel]! - source.image.data[(y * info.width + x) * 3 + channel]!)).toBeLessThan(12);
    }
    // There is a soft edge (hair), not a hard binary cut.
    let soft = 0;
    for (let index = 3; index < data.length; index += 4) if (data[index]! > 20 && data[index]! < 235) soft++;
    expect(soft).toBeGreaterThan(200);
    expect((await readdir(outDir)).sort()).toEqual(['st_people_0_longhair.png']);
  });

  it('premultiplied output darkens semi-transparent colour by alpha; mask-only writes one grey channel', async () => {
    const input = fixture('portraits/u2_kid2_curly_updo.jpg');
    const straight = (await cutout(engine, input, 'png')).pixels!.data;
    const premultiplied = (await cutout(engine, input, 'png-premultiplied')).pixels!.data;
    let checked = 0;
    for (let index = 0; index < straight.length; index += 4) {
      const alpha = straight[index + 3]!;
      if (alpha > 30 && alpha < 220) {
        const expected = (straight[index]! * alpha) / 255;
        expect(Math.abs(premultiplied[index]! - expected)).toBeLessThanOrEqual(2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const mask = await cutout(engine, input, 'matte');
    expect((await sharp(mask.path!).metadata()).channels).toBe(1);
    const maskPixels = mask.pixels!;
    for (let pixel = 0; pixel < maskPixels.info.width * maskPixels.info.height; pixel += 97) expect(maskPixels.data[pixel * maskPixels.info.channels]).toBe(straight[pixel * 4 + 3]);
  });

  it('falls back to the lighter model when the best model file is damaged, and says why', async () => {
    const userDir = await mkdtemp(join(tmpdir(), 'user-models-'));
    const bundledDir = await mkdtemp(join(tmpdir(), 'bundled-models-'));
    await copyFile(join(bundledModelsDir, 'manifest.json'), join(bundledDir, 'manifest.json'));
    await copyFile(join(bundledModelsDir, 'isnet-quint8.onnx'), join(bundledDir, 'isnet-quint8.onnx'));
    // Same size as the real file, so it passes the size check and fails only when onnxruntime parses it.
    const manifest = JSON.parse(await (await import('node:fs/promises')).readFile(join(bundledDir, 'manifest.json'), 'utf8'));
    // Every full-precision variant is damaged (same size, so only onnxruntime's parse finds out).
    for (const model of manifest.models as Array<{ id: string; file?: string; bytes: number }>) {
      if (model.id !== 'isnet-quint8') await writeFile(join(bundledDir, model.file ?? `${model.id}.onnx`), Buffer.alloc(model.bytes, 7));
    }
    const damaged = createEngine({ bundledDir, userDir });
    try {
      const { item: result } = await cutout(damaged, fixture('portraits/st_people_0_longhair.png'), 'png');
      expect(result.tier).toBe(2);
      expect(result.model).toBe('isnet-quint8');
      expect(result.fallbackReasons.join(' ')).toMatch(/isnet-fp/);
    } finally {
      await damaged.dispose();
      // A copy of the bundled models is some 300 MB: left behind, every run filled the temp folder.
      await Promise.all([rm(bundledDir, { recursive: true, force: true }), rm(userDir, { recursive: true, force: true })]);
    }
  });

  it('falls through to the classical tier when the models return an empty matte (a black picture)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'blank-'));
    const blank = join(folder, 'blank.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#000000' } }).png().toFile(blank);
    const { item: result, pixels } = await cutout(engine, blank, 'png');
    expect(result.tier).toBe(3);
    expect(result.model).toBe('classical');
    expect(result.fallbackReasons).toHaveLength(2);
    expect(pixels!.info.width).toBe(64);
  });
});
