import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { reflect101 } from '../filters/reflectIndex';
import type { FloatImage } from '../imageTypes';
import { planBlurFusion, runBlurFusionStage } from './blurFusionStage';
import { estimateForeground } from './estimateForeground';

const floatImage = (width: number, height: number, channels: number, data: Float32Array): FloatImage => ({ width, height, channels, data });

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  let state = seed >>> 0;
  const data = new Float32Array(width * height * channels);
  for (let index = 0; index < data.length; index++) data[index] = (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return floatImage(width, height, channels, data);
}

/** The authors' two-stage formula written out directly (float64, brute-force reflect-101 box), for small images. */
function directEstimate(image: FloatImage, alpha: FloatImage, sizePx: number) {
  const { width, height } = image;
  const blur = (values: (pixel: number) => number, size: number) => {
    const result = new Float64Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) {
        sum += values(reflect101(y - (size >> 1) + j, height) * width + reflect101(x - (size >> 1) + i, width));
      }
      result[y * width + x] = Math.fround(sum / (size * size));
    }
    return result;
  };
  const stage = (foreground: ArrayLike<number>, background: ArrayLike<number>, size: number) => {
    const a = alpha.data;
    const blurredAlpha = blur((p) => a[p]!, size);
    const outForeground = new Float64Array(width * height * 3);
    const outBackground = new Float64Array(width * height * 3);
    for (let c = 0; c < 3; c++) {
      const blurredFa = blur((p) => foreground[p * 3 + c]! * a[p]!, size);
      const blurredB1a = blur((p) => background[p * 3 + c]! * (1 - a[p]!), size);
      for (let p = 0; p < width * height; p++) {
        const f = blurredFa[p]! / (blurredAlpha[p]! + 1e-5);
        const b = blurredB1a[p]! / (1 - blurredAlpha[p]! + 1e-5);
        const value = f + a[p]! * (image.data[p * 3 + c]! - a[p]! * f - (1 - a[p]!) * b);
        outForeground[p * 3 + c] = Math.min(1, Math.max(0, value));
        outBackground[p * 3 + c] = b;
      }
    }
    return { foreground: outForeground, background: outBackground };
  };
  const first = stage(image.data, image.data, sizePx);
  return { foreground: stage(first.foreground, first.background, 6).foreground, background: first.background };
}

/** Both stages over every pixel (`runBlurFusionStage` without regions): the formula at any size, in linear time. */
function fullStages(image: FloatImage, alpha: FloatImage, sizePx: number) {
  const { width, height } = image;
  const columnSums = new Float64Array((width + Math.max(sizePx, 6) - 1) * 7);
  const first = { foreground: new Float32Array(width * height * 3), background: new Float32Array(width * height * 3) };
  const buffers = { image: image.data, alpha: alpha.data, columnSums };
  runBlurFusionStage({ ...buffers, foreground: image.data, background: image.data, outForeground: first.foreground, outBackground: first.background }, planBlurFusion(width, height, sizePx));
  const foreground = new Float32Array(width * height * 3);
  runBlurFusionStage({ ...buffers, foreground: first.foreground, background: first.background, outForeground: foreground, outBackground: null }, planBlurFusion(width, height, 6));
  return { foreground, background: first.background };
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs(a[index]! - b[index]!));
  return worst;
};

/**
 * Largest background error: the estimate is owed wherever 0 < α < 1; elsewhere a pixel may instead be 0 (outside the
 * tiles where the second stage runs), but a value that was computed must be right.
 */
const backgroundDifference = (actual: Float32Array, expected: ArrayLike<number>, alpha: Float32Array) => {
  let worst = 0;
  for (let index = 0; index < actual.length; index++) {
    const coverage = alpha[Math.floor(index / 3)]!;
    const isOwed = coverage > 0 && coverage < 1;
    if (isOwed || actual[index] !== 0) worst = Math.max(worst, Math.abs(actual[index]! - expected[index]!));
  }
  return worst;
};

describe('estimateForeground', () => {
  it('follows the two-stage formula on small images, including windows larger than the image (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 14 }), fc.integer(), fc.boolean(),
      (width, height, radiusPx, seed, isBinary) => {
        const image = randomImage(width, height, 3, seed);
        const alpha = randomImage(width, height, 1, seed ^ 0x5bd1e995);
        if (isBinary) alpha.data.forEach((value, index) => { alpha.data[index] = value < 0.4 ? 0 : value > 0.7 ? 1 : value; });
        const result = estimateForeground(image, alpha, { radiusPx });
        const expected = directEstimate(image, alpha, radiusPx);
        expect(maxDifference(result.foreground.data, expected.foreground)).toBeLessThan(1e-5);
        expect(backgroundDifference(result.background.data, expected.background, alpha.data)).toBeLessThan(1e-5);
      },
    ), { numRuns: 150 });
  });

  it('follows the formula across second-stage tiles, including tiles that are transparent but near alpha', () => {
    const image = randomImage(140, 9, 3, 12);
    const alpha = randomImage(140, 9, 1, 13);
    alpha.data.forEach((value, index) => { alpha.data[index] = index % 140 >= 64 && index % 140 < 66 ? value : index % 140 > 100 ? 1 : 0; });
    const result = estimateForeground(image, alpha, { radiusPx: 8 });
    const expected = directEstimate(image, alpha, 8);
    expect(maxDifference(result.foreground.data, expected.foreground)).toBeLessThan(1e-5);
    expect(backgroundDifference(result.background.data, expected.background, alpha.data)).toBeLessThan(1e-5);
  });

  it.each([9, 40, 150])('follows the formula where only some tiles are mixed, the wide stage computed around them only (r = %i)', (radiusPx) => {
    // An opaque disc with a soft rim and a soft speck far from it: mixed tiles in separate groups, so the wide stage
    // runs on spans that start and stop along rows (joined across short gaps for the wider windows) and on columns
    // used again after rows without them.
    const width = 230, height = 200;
    const image = randomImage(width, height, 3, 21);
    const alpha = new Float32Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      alpha[y * width + x] = Math.min(1, Math.max(0, (40 - Math.hypot(x - 60, y - 60)) / 6));
    }
    alpha[170 * width + 200] = 0.5;
    const matte = floatImage(width, height, 1, alpha);
    const out = { foreground: randomImage(width, height, 3, 22), background: randomImage(width, height, 3, 23) };
    const result = estimateForeground(image, matte, { radiusPx, out });
    const expected = fullStages(image, matte, radiusPx);
    expect(maxDifference(result.foreground.data, expected.foreground)).toBeLessThan(1e-5);
    expect(backgroundDifference(result.background.data, expected.background, alpha)).toBeLessThan(1e-5);
    // Far from every soft pixel the background is 0, not whatever the reused buffer held.
    expect(Array.from(result.background.data.subarray((199 * width + 120) * 3, (199 * width + 130) * 3))).toEqual(new Array(30).fill(0));
  });

  it('keeps the image where alpha is 1, stays in [0, 1], and reuses the out buffers', () => {
    const image = randomImage(40, 30, 3, 3);
    const alpha = randomImage(40, 30, 1, 4);
    for (let pixel = 0; pixel < 600; pixel++) alpha.data[pixel] = 1;
    const out = { foreground: randomImage(40, 30, 3, 5), background: randomImage(40, 30, 3, 6) };
    const result = estimateForeground(image, alpha, { radiusPx: 15, out });
    expect(result.foreground).toBe(out.foreground);
    expect(result.background).toBe(out.background);
    expect(maxDifference(result.foreground.data.subarray(0, 1800), image.data.subarray(0, 1800))).toBeLessThan(1e-6);
    expect(result.foreground.data.every((value) => value >= 0 && value <= 1)).toBe(true);
  });

  it('copies the image when radiusPx is 0', () => {
    const image = randomImage(5, 4, 3, 9);
    const result = estimateForeground(image, randomImage(5, 4, 1, 10), { radiusPx: 0 });
    expect(Array.from(result.foreground.data)).toEqual(Array.from(image.data));
    expect(Array.from(result.background.data)).toEqual(Array.from(image.data));
  });

  it('rejects bad inputs with the house error template', () => {
    const image = randomImage(4, 4, 3, 1);
    expect(() => estimateForeground(image, randomImage(4, 4, 3, 2))).toThrow('Expected 1 channel(s) for alpha but received 3');
    expect(() => estimateForeground(image, randomImage(4, 3, 1, 2))).toThrow(RangeError);
    expect(() => estimateForeground(image, randomImage(4, 4, 1, 2), { radiusPx: 2.5 })).toThrow('Expected a non-negative integer for radiusPx but received 2.5');
    expect(() => estimateForeground(image, randomImage(4, 4, 1, 2), { out: { foreground: image } })).toThrow(RangeError);
  });
});

const python = '/usr/bin/python3';
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = resolve(projectRoot, '..', 'shared', 'fixtures', 'gt_alpha', 'dim_crops');
const script = fileURLToPath(new URL('./testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
const hasFixtures = existsSync(join(fixtures, 'dim2_image.png')) && existsSync(join(fixtures, 'dim2_alpha.png'));
const skipReason = !hasCv2 ? '/usr/bin/python3 lacks cv2 or numpy' : !hasFixtures ? `fixtures missing under ${fixtures}` : undefined;
if (skipReason) console.warn(`estimateForeground: skipping the numpy + cv2 reference check: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('estimateForeground against the authors\' numpy + cv2 code (needs /usr/bin/python3 with cv2, ../shared/fixtures)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'blur-fusion-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const call = (request: object) => {
    const run = spawnSync(python, [script], { input: JSON.stringify({ ...request, dir: directory }), encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as { width: number; height: number };
  };
  const read = (name: string) => {
    const bytes = readFileSync(join(directory, name));
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  };

  it.each(['dim2', 'dim0'])('matches to 1e-4 on %s for r = 90 and r = 10', (name) => {
    const { width, height } = call({ op: 'load', image: join(fixtures, `${name}_image.png`), alpha: join(fixtures, `${name}_alpha.png`) });
    const image = floatImage(width, height, 3, read('image.f32'));
    const alpha = floatImage(width, height, 1, read('alpha.f32'));
    const radii = [90, 10];
    call({ op: 'estimate', image: join(directory, 'image.f32'), alpha: join(directory, 'alpha.f32'), shape: [height, width], radii });
    for (const radiusPx of radii) {
      const result = estimateForeground(image, alpha, { radiusPx });
      expect(maxDifference(result.foreground.data, read(`foreground_${radiusPx}.f32`)), `foreground r=${radiusPx}`).toBeLessThanOrEqual(1e-4);
      expect(backgroundDifference(result.background.data, read(`background_${radiusPx}.f32`), alpha.data), `background r=${radiusPx}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
