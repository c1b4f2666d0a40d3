import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { resizeBilinear } from './resizeBilinear';

const floatImage = (width: number, height: number, channels: number, values: ArrayLike<number>): FloatImage => ({
  width, height, channels, data: Float32Array.from(values),
});

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  let state = seed >>> 0;
  return floatImage(width, height, channels, Array.from({ length: width * height * channels }, () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32)));
}

describe('resizeBilinear', () => {
  it('samples pixel centres and clamps at the edges', () => {
    expect(Array.from(resizeBilinear(floatImage(2, 1, 1, [0, 1]), 4, 1).data)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('is the identity at the same size and scales 8-bit input to [0, 1]', () => {
    const source = randomImage(5, 4, 3, 1);
    expect(Array.from(resizeBilinear(source, 5, 4).data)).toEqual(Array.from(source.data));
    expect(Array.from(resizeBilinear({ width: 1, height: 1, channels: 2, data: Uint8Array.from([255, 51]) }, 2, 2).data))
      .toEqual([1, 0.2, 1, 0.2, 1, 0.2, 1, 0.2].map(Math.fround));
  });

  it('stays within the range of its input (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer(),
      (width, height, targetWidth, targetHeight, seed) => {
        const source = randomImage(width, height, 1, seed);
        const low = Math.min(...source.data);
        const high = Math.max(...source.data);
        for (const value of resizeBilinear(source, targetWidth, targetHeight).data) {
          expect(value).toBeGreaterThanOrEqual(low - 1e-6);
          expect(value).toBeLessThanOrEqual(high + 1e-6);
        }
      }));
  });
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
if (!hasCv2) console.warn('resize: skipping the cv2.resize reference check: /usr/bin/python3 lacks cv2 or numpy');

function cv2Resize(source: FloatImage, sizes: (readonly [number, number])[], interpolation: 'linear' | 'area'): Float32Array[] {
  const directory = mkdtempSync(join(tmpdir(), 'resize-'));
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

describe.skipIf(!hasCv2)('resizeBilinear against cv2.resize (needs /usr/bin/python3 with cv2)', () => {
  const source = randomImage(13, 9, 3, 5);
  const worst = (a: Float32Array, b: Float32Array) => a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);

  it('matches INTER_LINEAR to 1e-5 when enlarging and for non-2× shrinking', () => {
    const sizes = [[26, 18], [40, 27], [7, 5], [13, 30], [5, 9]] as const;
    cv2Resize(source, [...sizes], 'linear').forEach((expected, index) => {
      const [width, height] = sizes[index]!;
      expect(worst(resizeBilinear(source, width, height).data, expected), `${width}×${height}`).toBeLessThan(1e-5);
    });
  });
});
