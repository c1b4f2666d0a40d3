import { copyFile, mkdtemp, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultStillSettings } from '../../shared/settings';
import { createEngine } from '../engine';
import { decodeImage } from '../imageIo/decodeImage';
import { bundledModelsDir, fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { cutoutFile, cutoutImage } from './cutoutStill';

const canRun = hasBundledModels && hasFixtures;
if (!canRun) console.warn(hasBundledModels ? missingFixturesReason : missingModelsReason);

describe.skipIf(!canRun)('still cut-out with the bundled IS-Net model', () => {
  const engine = createEngine({ bundledDir: bundledModelsDir, userDir: join(tmpdir(), 'matte-studio-test-empty-user-models') });
  afterAll(() => engine.dispose());

  it('writes a straight-alpha PNG of the portrait at full size, subject opaque and backdrop clear', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'cutout-'));
    const input = fixture('portraits/st_people_0_longhair.png');
    const output = join(outDir, 'longhair.png');
    const tiers = await engine.models.pickTiers();
    expect(tiers.best?.spec.id).toBe('isnet-fp16');
    const result = await cutoutFile(input, output, defaultStillSettings(), tiers, engine.sessions);
    expect(result.tier).toBe(1);
    expect(result.model).toBe('isnet-fp16');
    expect(result.ep).toBe('cpu');
    const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
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
    expect((await readdir(outDir)).sort()).toEqual(['longhair.png']);
  });

  it('premultiplied output darkens semi-transparent colour by alpha; mask-only writes one grey channel', async () => {
    const { image } = await decodeImage(fixture('portraits/u2_kid2_curly_updo.jpg'));
    const tiers = await engine.models.pickTiers();
    const straight = await cutoutImage(image, defaultStillSettings(), tiers, engine.sessions);
    const premultipliedSettings = defaultStillSettings();
    premultipliedSettings.output.premultiplied = true;
    const premultiplied = await cutoutImage(image, premultipliedSettings, tiers, engine.sessions);
    let checked = 0;
    for (let index = 0; index < straight.output.data.length; index += 4) {
      const alpha = straight.output.data[index + 3]!;
      if (alpha > 30 && alpha < 220) {
        const expected = (straight.output.data[index]! * alpha) / 255;
        expect(Math.abs(premultiplied.output.data[index]! - expected)).toBeLessThanOrEqual(2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const maskSettings = defaultStillSettings();
    maskSettings.output.maskOnly = true;
    const mask = await cutoutImage(image, maskSettings, tiers, engine.sessions);
    expect(mask.output.channels).toBe(1);
    for (let pixel = 0; pixel < mask.output.data.length; pixel += 97) expect(mask.output.data[pixel]).toBe(straight.output.data[pixel * 4 + 3]);
  });

  it('falls back to the lighter model when the best model file is damaged, and says why', async () => {
    const userDir = await mkdtemp(join(tmpdir(), 'user-models-'));
    const bundledDir = await mkdtemp(join(tmpdir(), 'bundled-models-'));
    await copyFile(join(bundledModelsDir, 'manifest.json'), join(bundledDir, 'manifest.json'));
    await copyFile(join(bundledModelsDir, 'isnet-quint8.onnx'), join(bundledDir, 'isnet-quint8.onnx'));
    // Same size as the real file, so it passes the size check and fails only when onnxruntime parses it.
    const manifest = JSON.parse(await (await import('node:fs/promises')).readFile(join(bundledDir, 'manifest.json'), 'utf8'));
    const fp16 = manifest.models.find((model: { id: string }) => model.id === 'isnet-fp16');
    await writeFile(join(bundledDir, 'isnet-fp16.onnx'), Buffer.alloc(fp16.bytes, 7));
    const damaged = createEngine({ bundledDir, userDir });
    try {
      const { image } = await decodeImage(fixture('portraits/st_people_0_longhair.png'));
      const result = await cutoutImage(image, defaultStillSettings(), await damaged.models.pickTiers(), damaged.sessions);
      expect(result.tier).toBe(2);
      expect(result.model).toBe('isnet-quint8');
      expect(result.fallbackReasons.join(' ')).toMatch(/isnet-fp16/);
    } finally {
      await damaged.dispose();
    }
  });

  it('falls through to the classical tier when the models return an empty matte (a black picture)', async () => {
    const blank = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3).fill(0) };
    const result = await cutoutImage(blank, defaultStillSettings(), await engine.models.pickTiers(), engine.sessions);
    expect(result.tier).toBe(3);
    expect(result.model).toBe('classical');
    expect(result.fallbackReasons).toHaveLength(2);
    expect(result.output.width).toBe(64);
  });
});
