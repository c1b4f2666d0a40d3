import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Image8 } from '../imageTypes';
import { detectCartoon } from './detectCartoon';

const fixtures = '/work/shared/fixtures';
const hasFixtures = existsSync(join(fixtures, 'cartoon')) && existsSync(join(fixtures, 'portraits'));

/** Decodes to RGB composited over white (the wesnoth portraits are transparent PNGs). */
async function loadOverWhite(path: string): Promise<Image8> {
  const { data, info } = await sharp(path).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** A flat-coloured drawing: two filled discs with black outlines (width / 150 px) on white. */
function drawing(width: number, height: number): Image8 {
  const data = new Uint8Array(width * height * 3).fill(255);
  const outlinePx = width / 150;
  const discs = [
    { x: width * 0.3, y: height * 0.5, radius: width * 0.2, color: [230, 80, 60] },
    { x: width * 0.7, y: height * 0.5, radius: width * 0.15, color: [70, 140, 220] },
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const disc of discs) {
        const distance = Math.hypot(x - disc.x, y - disc.y);
        if (distance <= disc.radius) data.set(distance > disc.radius - outlinePx ? [0, 0, 0] : disc.color, (y * width + x) * 3);
      }
    }
  }
  return { width, height, channels: 3, data };
}

/** A photo-like image: smooth gradients plus deterministic sensor-like noise. */
function photoLike(width: number, height: number): Image8 {
  const data = new Uint8Array(width * height * 3);
  let seed = 7;
  for (let pixel = 0; pixel < width * height; pixel++) {
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    for (let channel = 0; channel < 3; channel++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed / 2 ** 32 - 0.5) * 16;
      const base = 90 + 80 * Math.sin(x / 37 + channel) * Math.cos(y / 53);
      data[(pixel * 3) + channel] = Math.max(0, Math.min(255, Math.round(base + noise)));
    }
  }
  return { width, height, channels: 3, data };
}

describe('detectCartoon', () => {
  it('recognises a flat outlined drawing and rejects a noisy gradient', () => {
    const cartoon = detectCartoon(drawing(200, 120));
    expect(cartoon.isCartoon).toBe(true);
    expect(cartoon.features.colorSimplicity).toBeGreaterThan(0.95);
    expect(cartoon.features.edgeSharpness).toBeGreaterThan(0.5);
    const photo = detectCartoon(photoLike(200, 120));
    expect(photo.isCartoon).toBe(false);
    expect(photo.score).toBeLessThan(0.3);
  });

  it('gives a flat image no edges and full colour simplicity', () => {
    const flat: Image8 = { width: 4, height: 3, channels: 3, data: new Uint8Array(36).fill(40) };
    expect(detectCartoon(flat)).toEqual({
      isCartoon: false,
      score: 0.2,
      features: { edgeDensity: 0, edgeSharpness: 0, colorSimplicity: 1, darkShare: 1 },
    });
  });

  it('composites RGBA over white and reduces large images to the working size without changing the verdict', () => {
    const transparent: Image8 = { width: 2, height: 2, channels: 4, data: new Uint8Array(16) };
    expect(detectCartoon(transparent).features.darkShare).toBe(0);
    const small = detectCartoon(drawing(300, 180));
    const large = detectCartoon(drawing(1200, 720), { workingSizePx: 300 });
    expect(large.isCartoon).toBe(small.isCartoon);
    expect(Math.abs(large.score - small.score)).toBeLessThan(0.03);
  });

  it('measures an opaque RGBA picture as its RGB self, reduced or not', () => {
    for (const [picture, workingSizePx] of [[drawing(1203, 721), 300], [photoLike(240, 150), 1024]] as const) {
      const rgba = new Uint8Array(picture.width * picture.height * 4).fill(255);
      for (let pixel = 0; pixel < picture.width * picture.height; pixel++) rgba.set(picture.data.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
      const opaque = detectCartoon(picture, { workingSizePx });
      const withAlpha = detectCartoon({ ...picture, channels: 4, data: rgba }, { workingSizePx });
      expect(withAlpha.score).toBeCloseTo(opaque.score, 9);
      expect(withAlpha.features.darkShare).toBeCloseTo(opaque.features.darkShare, 9);
      expect(opaque.features.edgeSharpness + opaque.features.darkShare).toBeGreaterThan(0); // something to measure
    }
  });

  it('rejects bad input', () => {
    const gray: Image8 = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
    expect(() => detectCartoon(gray)).toThrow('Expected 3 or 4 channels for image but received 1');
    expect(() => detectCartoon(drawing(10, 10), { threshold: 2 })).toThrow(RangeError);
    expect(() => detectCartoon(drawing(10, 10), { workingSizePx: 2.5 })).toThrow(RangeError);
  });

  describe.skipIf(!hasFixtures)(`on the fixtures in ${fixtures} (skipped when absent)`, () => {
    const cases = hasFixtures
      ? [
          ...readdirSync(join(fixtures, 'cartoon')).map((name) => ({ name, folder: 'cartoon', expected: true })),
          ...readdirSync(join(fixtures, 'portraits')).map((name) => ({ name, folder: 'portraits', expected: false })),
        ]
      : [];
    it.each(cases)('$folder/$name → isCartoon $expected', async ({ name, folder, expected }) => {
      const detection = detectCartoon(await loadOverWhite(join(fixtures, folder, name)));
      console.info(`${folder}/${name}: score ${detection.score.toFixed(3)}`, detection.features);
      expect(detection.isCartoon).toBe(expected);
    });
  });
});
