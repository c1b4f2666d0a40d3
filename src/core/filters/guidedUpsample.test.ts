import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { guidedFilter } from './guidedFilter';
import { guidedUpsample } from './guidedUpsample';
import { resizeArea } from './resizeArea';
import { resizeBilinear } from './resizeBilinear';
import { toGray } from './toGray';

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  let state = seed >>> 0;
  const data = new Float32Array(width * height * channels);
  for (let index = 0; index < data.length; index++) data[index] = (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { width, height, channels, data };
}

const sumAbsolute = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + Math.abs(value - b[index]!), 0);

describe('guidedUpsample', () => {
  it('is a clamped guided filter on the luma when the sizes already match', () => {
    const image = randomImage(10, 8, 3, 1);
    const matte = randomImage(10, 8, 1, 2);
    const expected = guidedFilter(toGray(image), matte, { radiusPx: 1, epsilon: 1e-4 }).data.map((value) => Math.min(1, Math.max(0, value)));
    expect(sumAbsolute(guidedUpsample(matte, image).data, expected)).toBeLessThan(1e-4);
  });

  it('returns a matte of the image size in [0, 1] for any size ratio and 8-bit RGBA (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer(),
      (lowWidth, lowHeight, width, height, seed) => {
        const rgba = { width, height, channels: 4, data: Uint8Array.from(randomImage(width, height, 4, seed).data, (value) => value * 255) };
        const result = guidedUpsample(randomImage(lowWidth, lowHeight, 1, seed + 1), rgba, { radiusPx: 2, epsilon: 1e-3 });
        expect([result.width, result.height, result.channels]).toEqual([width, height, 1]);
        expect(result.data.every((value) => value >= 0 && value <= 1)).toBe(true);
      }), { numRuns: 60 });
  });

  it('writes into out and rejects a grey image', () => {
    const out = randomImage(6, 4, 1, 3);
    expect(guidedUpsample(randomImage(3, 2, 1, 4), randomImage(6, 4, 3, 5), { out })).toBe(out);
    expect(() => guidedUpsample(randomImage(3, 2, 1, 4), randomImage(6, 4, 1, 5))).toThrow('Expected 3 or 4 channels for image but received 1');
  });
});

const python = '/usr/bin/python3';
const fixtures = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'fixtures', 'gt_alpha', 'dim_crops');
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
const skipReason = !hasCv2 ? '/usr/bin/python3 lacks cv2 or numpy (used to decode the PNGs)' : !existsSync(fixtures) ? `no fixtures at ${fixtures}` : undefined;
if (skipReason) console.warn(`guidedUpsample: skipping the DIM fixture check: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('guidedUpsample on DIM crops (needs /usr/bin/python3 with cv2, ../shared/fixtures)', () => {
  it.each(['dim0', 'dim1', 'dim2', 'dim3', 'dim4'])('recovers %s from a 4× smaller true matte with less error than bilinear', (name) => {
    const directory = mkdtempSync(join(tmpdir(), 'guided-upsample-'));
    try {
      const request = { op: 'load', image: join(fixtures, `${name}_image.png`), alpha: join(fixtures, `${name}_alpha.png`), dir: directory };
      const run = spawnSync(python, [script], { input: JSON.stringify(request), encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const { width, height } = JSON.parse(run.stdout) as { width: number; height: number };
      const read = (file: string) => {
        const bytes = readFileSync(join(directory, file));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      };
      const image = { width, height, channels: 3, data: read('image.f32') };
      const truth = { width, height, channels: 1, data: read('alpha.f32') };
      const small = resizeArea(truth, Math.round(width / 4), Math.round(height / 4));
      const guided = sumAbsolute(guidedUpsample(small, image).data, truth.data);
      const bilinear = sumAbsolute(resizeBilinear(small, width, height).data, truth.data);
      expect(guided).toBeLessThan(0.95 * bilinear);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
