import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boxBlur } from '../filters/boxBlur';
import type { AlphaMatte } from '../imageTypes';
import { gradientError } from './gradientError';
import { meanSquaredError } from './meanSquaredError';
import { sumAbsoluteDifference } from './sumAbsoluteDifference';
import { trimapUnknownRegion } from './trimapUnknownRegion';

const step = (width: number, height: number, edge: number): AlphaMatte => ({
  width, height, channels: 1, data: Float32Array.from({ length: width * height }, (_, index) => ((index % width) >= edge ? 1 : 0)),
});

describe('gradientError', () => {
  it('is zero for equal mattes and for mattes differing by a constant', () => {
    const matte = step(12, 6, 5);
    expect(gradientError(matte, matte)).toBe(0);
    const lifted = { ...matte, data: matte.data.map((value) => value * 0.5 + 0.25) };
    const halved = { ...matte, data: matte.data.map((value) => value * 0.5) };
    expect(gradientError(lifted, halved)).toBeCloseTo(0, 12);
  });

  it('penalises a blurred edge and a shifted edge, more inside the mask than outside', () => {
    const truth = step(20, 8, 10);
    const blurred = boxBlur(truth, { widthPx: 5, heightPx: 1 });
    expect(gradientError(blurred, truth)).toBeGreaterThan(0);
    const mask = { width: 20, height: 8, channels: 1, data: Uint8Array.from({ length: 160 }, (_, index) => ((index % 20) < 3 ? 1 : 0)) };
    expect(gradientError(blurred, truth, { mask })).toBeLessThan(1e-9);
    expect(() => gradientError(truth, truth, { sigmaPx: 0 })).toThrow(RangeError);
  });
});

const python = '/usr/bin/python3';
const fixtures = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'fixtures', 'gt_alpha', 'dim_crops');
const script = fileURLToPath(new URL('../matting/testing/cv2Reference.py', import.meta.url));
const hasCv2 = existsSync(python) && spawnSync(python, ['-c', 'import cv2, numpy']).status === 0;
const skipReason = !hasCv2 ? '/usr/bin/python3 lacks cv2 or numpy' : !existsSync(join(fixtures, 'dim1_trimap.png')) ? `no fixtures at ${fixtures}` : undefined;
if (skipReason) console.warn(`gradientError: skipping the DIM evaluation reference check: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('matting metrics against the DIM evaluation code (needs /usr/bin/python3 with cv2, ../shared/fixtures)', () => {
  it.each(['dim1', 'dim3'])('SAD, MSE and gradient error agree on %s in the trimap unknown region', (name) => {
    const directory = mkdtempSync(join(tmpdir(), 'metrics-'));
    try {
      const call = (request: object) => {
        const run = spawnSync(python, [script], { input: JSON.stringify({ ...request, dir: directory }), encoding: 'utf8' });
        if (run.status !== 0) throw new Error(run.stderr);
        return JSON.parse(run.stdout) as { width: number; height: number; sad: number; mse: number; gradient: number };
      };
      const read = (file: string) => {
        const bytes = readFileSync(join(directory, file));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      };
      const { width, height } = call({ op: 'load', image: join(fixtures, `${name}_image.png`), alpha: join(fixtures, `${name}_alpha.png`), trimap: join(fixtures, `${name}_trimap.png`) });
      const truth = { width, height, channels: 1, data: read('alpha.f32') };
      const predicted = boxBlur(truth, { radiusPx: 2 });
      const unknown = trimapUnknownRegion({ width, height, channels: 1, data: read('trimap.f32') });
      writeFileSync(join(directory, 'predicted.f32'), predicted.data);
      writeFileSync(join(directory, 'mask.f32'), Float32Array.from(unknown.data));
      const expected = call({ op: 'metrics', alpha: join(directory, 'predicted.f32'), truth: join(directory, 'alpha.f32'), mask: join(directory, 'mask.f32'), shape: [height, width] });
      const relative = (actual: number, reference: number) => Math.abs(actual - reference) / Math.max(reference, 1e-12);
      expect(expected.gradient).toBeGreaterThan(0);
      expect(relative(gradientError(predicted, truth, { mask: unknown }), expected.gradient)).toBeLessThan(1e-9);
      expect(relative(sumAbsoluteDifference(predicted, truth, { mask: unknown }), expected.sad)).toBeLessThan(1e-9);
      expect(relative(meanSquaredError(predicted, truth, { mask: unknown }), expected.mse)).toBeLessThan(1e-9);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
