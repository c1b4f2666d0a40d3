import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import { encodeStill, verifyStillAlpha } from './encodeStill';

/** An RGBA picture with varied colour and alpha, some pixels fully transparent with colour underneath. */
function picture(): Image8 {
  const width = 17, height = 9;
  const data = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    data.set([(pixel * 37) % 256, (pixel * 11) % 256, (pixel * 5) % 256, pixel % 4 === 0 ? 0 : (pixel * 29) % 256], pixel * 4);
  }
  return { width, height, channels: 4, data };
}

describe('encodeStill', () => {
  for (const format of ['png', 'webp'] as const) {
    it(`writes a lossless ${format}: every byte reads back, colour under fully transparent pixels included`, async () => {
      const pixels = picture();
      const { data, info } = await sharp(await encodeStill(format, pixels)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([pixels.width, pixels.height, 4]);
      expect(Buffer.compare(data, Buffer.from(pixels.data))).toBe(0);
    });
  }
});

describe('verifyStillAlpha', () => {
  for (const format of ['png', 'webp'] as const) {
    it(`accepts a ${format} that reads back as written, and refuses one whose alpha differs by one level`, async () => {
      const pixels = picture();
      const path = join(await mkdtemp(join(tmpdir(), 'verify-alpha-')), `out.${format}`);
      await writeFile(path, await encodeStill(format, pixels));
      expect(await verifyStillAlpha(path, pixels)).toBe(true);
      // Colour that differs while alpha matches still passes: only the transparency is checked.
      const recoloured = { ...pixels, data: pixels.data.slice() };
      recoloured.data[4] = (recoloured.data[4]! + 1) % 256;
      expect(await verifyStillAlpha(path, recoloured)).toBe(true);
      const otherAlpha = { ...pixels, data: pixels.data.slice() };
      otherAlpha.data[4 * 5 + 3] = (otherAlpha.data[4 * 5 + 3]! + 1) % 256;
      expect(await verifyStillAlpha(path, otherAlpha)).toBe(false);
    });
  }

  it('accepts a fully opaque cut-out as WebP, which libwebp writes without an alpha channel', async () => {
    const pixels = picture();
    for (let index = 3; index < pixels.data.length; index += 4) pixels.data[index] = 255;
    const encoded = await encodeStill('webp', pixels);
    expect((await sharp(encoded).metadata()).hasAlpha).toBe(false); // why this case needs its own rule
    const path = join(await mkdtemp(join(tmpdir(), 'verify-alpha-')), 'out.webp');
    await writeFile(path, encoded);
    expect(await verifyStillAlpha(path, pixels)).toBe(true);
    const oneTranslucent = { ...pixels, data: pixels.data.slice() };
    oneTranslucent.data[4 * 6 + 3] = 254;
    expect(await verifyStillAlpha(path, oneTranslucent)).toBe(false);
  });

  it('refuses a file without an alpha channel when the cut-out has transparency', async () => {
    const pixels = picture();
    const path = join(await mkdtemp(join(tmpdir(), 'verify-alpha-')), 'out.png');
    await writeFile(path, await encodeStill('png', { width: pixels.width, height: pixels.height, channels: 3, data: pixels.data.filter((_, index) => index % 4 !== 3) }));
    expect(await verifyStillAlpha(path, pixels)).toBe(false);
  });
});
