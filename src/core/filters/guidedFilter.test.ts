import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { boxBlur } from './boxBlur';
import { guidedFilter } from './guidedFilter';

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  let state = seed >>> 0;
  const data = new Float32Array(width * height * channels);
  for (let index = 0; index < data.length; index++) data[index] = (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { width, height, channels, data };
}

const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
};

describe('guidedFilter', () => {
  it('leaves a constant input constant', () => {
    const guide = randomImage(9, 7, 1, 1);
    const input = { ...randomImage(9, 7, 1, 2), data: new Float32Array(63).fill(0.3) };
    expect(worst(guidedFilter(guide, input, { radiusPx: 2 }).data, input.data)).toBeLessThan(1e-6);
  });

  it('reproduces the guide when filtering the guide itself with a tiny ε', () => {
    const guide = randomImage(12, 10, 1, 3);
    expect(worst(guidedFilter(guide, guide, { radiusPx: 2, epsilon: 1e-8 }).data, guide.data)).toBeLessThan(1e-3);
  });

  it('becomes a double box blur when ε is huge', () => {
    const guide = randomImage(12, 10, 1, 4);
    const input = randomImage(12, 10, 1, 5);
    const twice = boxBlur(boxBlur(input, { radiusPx: 3 }), { radiusPx: 3 });
    expect(worst(guidedFilter(guide, input, { radiusPx: 3, epsilon: 1e9 }).data, twice.data)).toBeLessThan(1e-5);
  });

  it('is affine in the input and filters channels independently (property)', () => {
    fc.assert(fc.property(fc.integer(), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (seed, scale, shift) => {
      const guide = randomImage(8, 6, 1, seed);
      const input = randomImage(8, 6, 2, seed + 1);
      const mapped = { ...input, data: input.data.map((value) => scale * value + shift) };
      const filtered = guidedFilter(guide, input, { radiusPx: 1, epsilon: 1e-2 }).data;
      expect(worst(guidedFilter(guide, mapped, { radiusPx: 1, epsilon: 1e-2 }).data, filtered.map((value) => scale * value + shift))).toBeLessThan(1e-4);
      const first = { width: 8, height: 6, channels: 1, data: input.data.filter((_, index) => index % 2 === 0) };
      expect(worst(guidedFilter(guide, first, { radiusPx: 1, epsilon: 1e-2 }).data, filtered.filter((_, index) => index % 2 === 0))).toBeLessThan(1e-6);
    }), { numRuns: 50 });
  });

  it('rejects a colour guide and a bad ε', () => {
    const input = randomImage(3, 3, 1, 1);
    expect(() => guidedFilter(randomImage(3, 3, 3, 1), input)).toThrow('Expected 1 channel(s) for guide but received 3');
    expect(() => guidedFilter(input, input, { epsilon: 0 })).toThrow('Expected a positive finite number for epsilon but received 0');
  });
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
if (!hasCv2) console.warn('guidedFilter: skipping the numpy + cv2 reference check: /usr/bin/python3 lacks cv2 or numpy');

describe.skipIf(!hasCv2)('guidedFilter against a numpy + cv2.blur implementation (needs /usr/bin/python3 with cv2)', () => {
  it.each([[1, 1e-4], [4, 1e-2]])('agrees for r = %d, ε = %d', (radiusPx, epsilon) => {
    const [width, height] = [23, 17];
    const guide = randomImage(width, height, 1, 21);
    const input = randomImage(width, height, 1, 22);
    const directory = mkdtempSync(join(tmpdir(), 'guided-'));
    try {
      writeFileSync(join(directory, 'guide.f32'), guide.data);
      writeFileSync(join(directory, 'input.f32'), input.data);
      const request = { op: 'guided', guide: join(directory, 'guide.f32'), input: join(directory, 'input.f32'), shape: [height, width], radius: radiusPx, epsilon, dir: directory };
      const run = spawnSync(python, [script], { input: JSON.stringify(request), encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const bytes = readFileSync(join(directory, 'guided.f32'));
      const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(worst(guidedFilter(guide, input, { radiusPx, epsilon }).data, expected)).toBeLessThan(1e-4);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
