import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { labToSrgb } from './labToSrgb';
import { srgbPixelToLab, srgbToLab } from './srgbToLab';

function floatImage(values: number[], width = values.length / 3, height = 1): FloatImage {
  return { width, height, channels: 3, data: Float32Array.from(values) };
}

function labOf(red: number, green: number, blue: number): number[] {
  const target = new Float64Array(3);
  srgbPixelToLab(Float64Array.of(red, green, blue), 0, target, 0);
  return [...target];
}

describe('srgbToLab', () => {
  it('matches published reference values (Lindbloom, D65)', () => {
    const cases: Array<[number[], number[]]> = [
      [[1, 1, 1], [100, 0, 0]],
      [[0, 0, 0], [0, 0, 0]],
      [[1, 0, 0], [53.2408, 80.0925, 67.2032]],
      [[0, 1, 0], [87.7347, -86.1827, 83.1793]],
      [[0, 0, 1], [32.2970, 79.1875, -107.8602]],
      [[0.5, 0.5, 0.5], [53.3889, 0, 0]],
    ];
    for (const [rgb, expected] of cases) {
      const lab = labOf(rgb[0]!, rgb[1]!, rgb[2]!);
      for (let channel = 0; channel < 3; channel++) expect(lab[channel]).toBeCloseTo(expected[channel]!, 2);
    }
  });

  it('gives the same result for 8-bit input (exact table) and float input (interpolated table)', () => {
    const codes = Uint8Array.from([0, 10, 200, 255, 128, 3, 64, 250, 17]);
    const fromBytes = srgbToLab({ width: 3, height: 1, channels: 3, data: codes });
    const fromFloats = srgbToLab(floatImage([...codes].map((code) => code / 255)));
    for (let index = 0; index < codes.length; index++) expect(fromFloats.data[index]).toBeCloseTo(fromBytes.data[index]!, 3);
  });

  it('ignores the alpha channel of RGBA input and writes into out', () => {
    const rgba: FloatImage = { width: 1, height: 1, channels: 4, data: Float32Array.from([1, 0, 0, 0.25]) };
    const out = floatImage([9, 9, 9]);
    expect(srgbToLab(rgba, out)).toBe(out);
    expect(out.data[0]).toBeCloseTo(53.2408, 2);
  });

  it('round-trips through labToSrgb within 1e-3', () => {
    const unit = fc.float({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(unit, unit, unit), { minLength: 1, maxLength: 32 }), (colors) => {
        const image = floatImage(colors.flat());
        const back = labToSrgb(srgbToLab(image));
        for (let index = 0; index < image.data.length; index++) {
          expect(Math.abs(back.data[index]! - image.data[index]!)).toBeLessThan(1e-3);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps neutral greys on the L axis', () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 1, noNaN: true }), (grey) => {
        const [, a, b] = labOf(grey, grey, grey);
        expect(Math.abs(a!)).toBeLessThan(1e-3);
        expect(Math.abs(b!)).toBeLessThan(1e-3);
      }),
    );
  });

  it('rejects images without 3 or 4 channels, and mismatched out buffers', () => {
    const grey: FloatImage = { width: 1, height: 1, channels: 1, data: new Float32Array(1) };
    expect(() => srgbToLab(grey)).toThrow(/Expected 3 or 4 channels for image but received 1/);
    expect(() => srgbToLab(floatImage([0, 0, 0]), floatImage([0, 0, 0, 0, 0, 0]))).toThrow(RangeError);
  });

  const python = '/usr/bin/python3';
  const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy'], { encoding: 'utf8' }).status === 0;
  // OpenCV's float path uses a 1024-entry gamma spline, 6-digit primaries and rounds a and b to steps of about 1/64.
  it.skipIf(!hasCv2)('agrees with OpenCV cv2.COLOR_RGB2Lab on float input (skipped when /usr/bin/python3 lacks cv2)', () => {
    const values = Array.from({ length: 3 * 64 }, (_, index) => ((index * 7919) % 257) / 256);
    const script = [
      'import sys, json, numpy as np, cv2',
      'values = np.array(json.loads(sys.stdin.read()), dtype=np.float32).reshape(1, -1, 3)',
      'print(json.dumps(cv2.cvtColor(values, cv2.COLOR_RGB2Lab).reshape(-1).tolist()))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const reference = JSON.parse(run.stdout) as number[];
    const ours = srgbToLab(floatImage(values));
    const worst = [0, 0, 0];
    for (let index = 0; index < reference.length; index++) {
      worst[index % 3] = Math.max(worst[index % 3]!, Math.abs(ours.data[index]! - reference[index]!));
    }
    expect(worst[0]).toBeLessThan(0.05);
    expect(Math.max(worst[1]!, worst[2]!)).toBeLessThan(0.1);
  });
});
