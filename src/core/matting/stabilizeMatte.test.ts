import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { stabilizeMatte } from './stabilizeMatte';

const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });
const frame = (values: number[][]) => ({ width: values.length, height: 1, channels: 3, data: Float32Array.from(values.flat()) });

describe('stabilizeMatte', () => {
  it('blends toward the previous alpha where the picture is still, and takes the new alpha where it moved', () => {
    const previous = frame([[0.5, 0.5, 0.5], [0.2, 0.2, 0.2]]);
    const current = frame([[0.5, 0.5, 0.5], [0.8, 0.8, 0.8]]);
    const result = stabilizeMatte(matte([0.6, 0.6]), matte([0.4, 0.4]), previous, current, { maxBlend: 0.8, motionThreshold: 0.04 });
    expect(result.data[0]).toBeCloseTo(0.8 * 0.6 + 0.2 * 0.4, 6);
    expect(result.data[1]).toBeCloseTo(0.4, 6);
  });

  it('snaps to large alpha changes even without colour change', () => {
    const still = frame([[0.3, 0.3, 0.3]]);
    const result = stabilizeMatte(matte([0]), matte([1]), still, still);
    expect(result.data[0]).toBe(1);
  });

  it('reduces frame-to-frame flicker on a still picture with noisy alpha', () => {
    const still = frame(Array.from({ length: 64 }, () => [0.5, 0.4, 0.3]));
    let stable: FloatImage = matte(Array.from({ length: 64 }, () => 0.5));
    let rawFlicker = 0;
    let stableFlicker = 0;
    let previousRaw = stable;
    for (let step = 1; step < 40; step++) {
      const noisy = matte(Array.from({ length: 64 }, (_, index) => 0.5 + 0.1 * Math.sin(step * 2.3 + index)));
      const next = stabilizeMatte(stable, noisy, still, still);
      for (let index = 0; index < 64; index++) {
        rawFlicker += Math.abs(noisy.data[index]! - previousRaw.data[index]!);
        stableFlicker += Math.abs(next.data[index]! - stable.data[index]!);
      }
      previousRaw = noisy;
      stable = next;
    }
    expect(stableFlicker).toBeLessThan(rawFlicker * 0.5);
  });

  it('keeps alpha in [0, 1] between the two inputs (property)', () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 1, noNaN: true }), fc.float({ min: 0, max: 1, noNaN: true }), fc.float({ min: 0, max: 1, noNaN: true }), (a, b, colour) => {
        const result = stabilizeMatte(matte([a]), matte([b]), frame([[colour, colour, colour]]), frame([[0.5, 0.5, 0.5]])).data[0]!;
        expect(result).toBeGreaterThanOrEqual(Math.min(a, b) - 1e-6);
        expect(result).toBeLessThanOrEqual(Math.max(a, b) + 1e-6);
      }),
    );
  });

  it('rejects mismatched sizes with the house error template', () => {
    expect(() => stabilizeMatte(matte([0]), matte([0, 0]), frame([[0, 0, 0]]), frame([[0, 0, 0]]))).toThrow(/Expected .* for previousStable but received/);
  });
});
