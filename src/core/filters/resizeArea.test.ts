import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { resizeArea } from './resizeArea';

const floatImage = (width: number, height: number, channels: number, values: ArrayLike<number>): FloatImage => ({
  width, height, channels, data: Float32Array.from(values),
});

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  let state = seed >>> 0;
  return floatImage(width, height, channels, Array.from({ length: width * height * channels }, () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32)));
}

describe('resizeArea', () => {
  it('averages whole blocks for integer factors and overlaps for fractional ones', () => {
    const source = floatImage(4, 2, 1, [0, 2, 4, 6, 2, 4, 6, 8]);
    expect(Array.from(resizeArea(source, 2, 1).data)).toEqual([2, 6]);
    // 3 → 2: cells cover [0, 1.5) and [1.5, 3).
    expect(Array.from(resizeArea(floatImage(3, 1, 1, [0, 3, 6]), 2, 1).data)).toEqual([1, 5]);
  });

  it('preserves the mean of the image for integer factors (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (factor, width, height, seed) => {
      const source = randomImage(width * factor, height * factor, 1, seed);
      const mean = (values: Float32Array) => values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(mean(resizeArea(source, width, height).data)).toBeCloseTo(mean(source.data), 5);
    }));
  });
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
if (!hasCv2) console.warn('resize: skipping the cv2.resize reference check: /usr/bin/python3 lacks cv2 or numpy');

function cv2Resize(source: FloatImage, sizes: (readonly [number, number])[], interpolation: 'linear' | 'area'): Float32Array[] {
  const directory = mkdtempSync(join(tmpdir(), 'resize-area-'));
  try {
    writeFileSync(join(directory, 'input.f32'), source.data);
    const request = { op: 'resize', input: join(directory, 'input.f32'), shape: [source.height, source.width, source.channels], sizes, interpolation, dir: directory };
    const run = spawnSync(python, [script], { input: JSON.stringify(request), encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return sizes.map(([width, height]) => {
      const bytes = readFileSync(join(directory, `resize_${width}_${height}.f32`));
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe.skipIf(!hasCv2)('resizeArea against cv2.resize (needs /usr/bin/python3 with cv2)', () => {
  const worst = (a: Float32Array, b: Float32Array) => a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);

  it('matches INTER_AREA to 1e-5 when shrinking, one channel (its own loop) or several', () => {
    for (const channels of [1, 2]) {
      const large = randomImage(37, 29, channels, 8);
      const sizes = [[12, 9], [18, 14], [10, 7], [37, 29], [5, 29], [1, 1]] as const;
      cv2Resize(large, [...sizes], 'area').forEach((expected, index) => {
        const [width, height] = sizes[index]!;
        expect(worst(resizeArea(large, width, height).data, expected), `${channels} channels, ${width}×${height}`).toBeLessThan(1e-5);
      });
    }
  });
});
