import { describe, expect, it } from 'vitest';
import { meanSquaredError } from './meanSquaredError';

const matte = (values: number[]) => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe('meanSquaredError', () => {
  it('averages squared differences over the counted pixels', () => {
    expect(meanSquaredError(matte([0, 0.5, 1, 1]), matte([0.5, 0.5, 0, 1]))).toBeCloseTo((0.25 + 1) / 4, 12);
    const mask = { width: 4, height: 1, channels: 1, data: Uint8Array.from([1, 1, 0, 0]) };
    expect(meanSquaredError(matte([0, 0.5, 1, 1]), matte([0.5, 0.5, 0, 1]), { mask })).toBeCloseTo(0.25 / 2, 12);
  });

  it('returns 0 when the mask is empty', () => {
    const mask = { width: 2, height: 1, channels: 1, data: new Uint8Array(2) };
    expect(meanSquaredError(matte([0, 1]), matte([1, 0]), { mask })).toBe(0);
  });
});
