import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { boxBlur } from './boxBlur';
import { reflect101 } from './reflectIndex';

const image = (width: number, height: number, channels: number, values: number[]): FloatImage => ({
  width, height, channels, data: Float32Array.from(values),
});

/** Direct definition: mean over the window with OpenCV's anchor and repeated reflect-101. */
function bruteForce(source: FloatImage, widthPx: number, heightPx: number): Float64Array {
  const { width, height, channels, data } = source;
  const result = new Float64Array(data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let j = 0; j < heightPx; j++) for (let i = 0; i < widthPx; i++) {
      const sx = reflect101(x - (widthPx >> 1) + i, width);
      const sy = reflect101(y - (heightPx >> 1) + j, height);
      sum += data[(sy * width + sx) * channels + c]!;
    }
    result[(y * width + x) * channels + c] = sum / (widthPx * heightPx);
  }
  return result;
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs(a[index]! - b[index]!));
  return worst;
};

describe('boxBlur', () => {
  it('averages a centred odd window with reflect-101 borders', () => {
    const result = boxBlur(image(5, 1, 1, [0, 0, 3, 0, 6]), { widthPx: 3, heightPx: 1 });
    // x=4 sees 0, 6 and the reflected 0 (index 3).
    expect(Array.from(result.data)).toEqual([0, 1, 1, 3, 2]);
  });

  it('puts the anchor at k/2 for an even window (covers x−k/2 … x+k/2−1)', () => {
    const result = boxBlur(image(4, 1, 1, [1, 2, 3, 4]), { widthPx: 2, heightPx: 1 });
    expect(Array.from(result.data)).toEqual([1.5, 1.5, 2.5, 3.5]);
  });

  it('reflects repeatedly when the window is larger than the image', () => {
    // Width 3 padded for k=7 (anchor 3): positions −3…3 map to 1,2,1,0,1,2,1 for x=0.
    const result = boxBlur(image(3, 1, 1, [0, 7, 14]), { widthPx: 7, heightPx: 1 });
    expect(result.data[0]).toBeCloseTo((7 + 14 + 7 + 0 + 7 + 14 + 7) / 7, 5);
  });

  it('blurs interleaved channels independently and accepts a radius', () => {
    const source = image(3, 1, 2, [0, 9, 3, 9, 6, 9]);
    const result = boxBlur(source, { radiusPx: 1 });
    expect(Array.from(result.data)).toEqual(Array.from(boxBlur(source, { widthPx: 3 }).data));
    expect(Array.from(result.data)).toEqual([2, 9, 3, 9, 4, 9]);
  });

  it('matches the direct definition for any size, window and channel count (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 19 }), fc.integer(),
      (width, height, channels, widthPx, heightPx, seed) => {
        let state = seed >>> 0;
        const values = Array.from({ length: width * height * channels }, () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32));
        const source = image(width, height, channels, values);
        expect(maxDifference(boxBlur(source, { widthPx, heightPx }).data, bruteForce(source, widthPx, heightPx))).toBeLessThan(1e-6);
      },
    ), { numRuns: 300 });
  });

  it('keeps a constant image constant and may write in place', () => {
    const source = image(6, 4, 1, new Array(24).fill(0.25));
    expect(boxBlur(source, { widthPx: 5 }, source)).toBe(source);
    expect(Array.from(source.data).every((value) => Math.abs(value - 0.25) < 1e-7)).toBe(true);
  });

  it('rejects bad windows and mismatched outputs', () => {
    const source = image(2, 2, 1, [0, 0, 0, 0]);
    expect(() => boxBlur(source, { widthPx: 0 })).toThrow('Expected a positive integer for widthPx but received 0');
    expect(() => boxBlur(source, { widthPx: 3, heightPx: 1.5 })).toThrow(RangeError);
    expect(() => boxBlur(source, { radiusPx: -1 })).toThrow('Expected a non-negative integer for radiusPx but received -1');
    expect(() => boxBlur(source, { widthPx: 3 }, image(2, 2, 2, new Array(8).fill(0)))).toThrow(RangeError);
  });
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
if (!hasCv2) console.warn('boxBlur: skipping the cv2.blur reference check: /usr/bin/python3 lacks cv2 or numpy');

describe.skipIf(!hasCv2)('boxBlur against cv2.blur (needs /usr/bin/python3 with cv2)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'box-blur-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('agrees with cv2.blur to 1e-6 for odd, even, non-square and larger-than-image windows', () => {
    const [height, width, channels] = [29, 23, 3];
    let state = 7;
    const source = image(width, height, channels, Array.from({ length: width * height * channels }, () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32)));
    writeFileSync(join(directory, 'input.f32'), source.data);
    const sizes = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 2], [9, 9], [30, 30], [57, 40], [90, 90]] as const;
    const run = spawnSync(python, [script], {
      input: JSON.stringify({ op: 'blur', input: join(directory, 'input.f32'), shape: [height, width, channels], sizes, dir: directory }),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    for (const [widthPx, heightPx] of sizes) {
      const bytes = readFileSync(join(directory, `blur_${widthPx}_${heightPx}.f32`));
      const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(maxDifference(boxBlur(source, { widthPx, heightPx }).data, expected), `${widthPx}×${heightPx}`).toBeLessThan(1e-6);
    }
  });
});
