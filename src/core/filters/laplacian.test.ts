import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { laplacian } from './laplacian';

const gray = (width: number, height: number, values: number[]): FloatImage => ({ width, height, channels: 1, data: Float32Array.from(values) });

describe('laplacian', () => {
  it('responds to an impulse with the 4-neighbour kernel, reflected at the borders', () => {
    const impulse = gray(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(laplacian(impulse).data)).toEqual([0, 2, 0, 2, -4, 2, 0, 2, 0]);
  });

  it('returns magnitudes when asked, in place if wanted', () => {
    const impulse = gray(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(laplacian(impulse, { isAbsolute: true }, impulse)).toBe(impulse);
    expect(Array.from(impulse.data)).toEqual([0, 2, 0, 2, 4, 2, 0, 2, 0]);
  });

  it('is zero on a linear ramp away from the borders', () => {
    const ramp = gray(5, 1, [0, 1, 2, 3, 4]);
    expect(Array.from(laplacian(ramp).data.subarray(1, 4))).toEqual([0, 0, 0]);
  });
});
