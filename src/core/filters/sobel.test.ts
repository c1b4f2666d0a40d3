import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { laplacian } from './laplacian';
import { sobelMagnitude } from './sobel';

const gray = (width: number, height: number, values: number[]): FloatImage => ({ width, height, channels: 1, data: Float32Array.from(values) });

describe('sobelMagnitude', () => {
  it('gives 4 on a unit vertical step and 0 on the reflected borders beside it', () => {
    expect(Array.from(sobelMagnitude(gray(3, 2, [0, 0, 1, 0, 0, 1])).data)).toEqual([0, 4, 0, 0, 4, 0]);
  });

  it('is √(gx² + gy²) on a diagonal ramp and zero on a constant image', () => {
    const ramp = gray(4, 4, Array.from({ length: 16 }, (_, index) => (index % 4) + Math.floor(index / 4)));
    expect(sobelMagnitude(ramp).data[5]).toBeCloseTo(Math.hypot(8, 8), 5);
    expect(Array.from(sobelMagnitude(gray(3, 3, new Array(9).fill(0.7))).data).every((value) => Math.abs(value) < 1e-6)).toBe(true);
  });

  it('rejects colour input', () => {
    expect(() => sobelMagnitude({ width: 1, height: 1, channels: 3, data: new Float32Array(3) })).toThrow('Expected 1 channel(s) for gray but received 3');
  });
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
if (!hasCv2) console.warn('sobel/laplacian: skipping the cv2 reference check: /usr/bin/python3 lacks cv2 or numpy');

describe.skipIf(!hasCv2)('sobelMagnitude and laplacian against cv2 (needs /usr/bin/python3 with cv2)', () => {
  it('match cv2.Sobel magnitude and cv2.Laplacian to 1e-5', () => {
    const [width, height] = [17, 11];
    let state = 11;
    const source = gray(width, height, Array.from({ length: width * height }, () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32)));
    const directory = mkdtempSync(join(tmpdir(), 'sobel-'));
    try {
      writeFileSync(join(directory, 'input.f32'), source.data);
      const run = spawnSync(python, [script], { input: JSON.stringify({ op: 'filters', input: join(directory, 'input.f32'), shape: [height, width], dir: directory }), encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const read = (name: string) => {
        const bytes = readFileSync(join(directory, name));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      };
      const sobel = sobelMagnitude(source).data;
      const lap = laplacian(source).data;
      read('sobel.f32').forEach((value, index) => expect(Math.abs(sobel[index]! - value)).toBeLessThan(1e-5));
      read('laplacian.f32').forEach((value, index) => expect(Math.abs(lap[index]! - value)).toBeLessThan(1e-5));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
