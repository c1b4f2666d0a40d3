import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../imageTypes';
import { labPixelToSrgb, labToSrgb } from './labToSrgb';

function labImage(values: number[]): FloatImage {
  return { width: values.length / 3, height: 1, channels: 3, data: Float32Array.from(values) };
}

describe('labToSrgb', () => {
  it('maps reference Lab colours back to sRGB primaries, white and black', () => {
    const result = labToSrgb(labImage([100, 0, 0, 0, 0, 0, 53.2408, 80.0925, 67.2032, 32.297, 79.1875, -107.8602]));
    const expected = [1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    for (let index = 0; index < expected.length; index++) expect(result.data[index]).toBeCloseTo(expected[index]!, 3);
  });

  it('clamps out-of-gamut colours to [0, 1]', () => {
    const result = labToSrgb(labImage([50, 127, -127, 120, 0, 0, -10, 0, 0, 60, -128, 128]));
    for (const value of result.data) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(result.data[3]).toBe(1);
    expect(result.data[6]).toBe(0);
  });

  it('converts a mid grey to the encoded value of 18.4% luminance', () => {
    const target = new Float64Array(3);
    labPixelToSrgb(Float64Array.of(50, 0, 0), 0, target, 0);
    // L = 50 ⇔ Y = ((50 + 16) / 116)³ = 0.18419; sRGB-encoded 0.46630.
    for (const value of target) expect(value).toBeCloseTo(0.4663, 4);
  });

  it('writes in place when out is the input', () => {
    const image = labImage([100, 0, 0]);
    expect(labToSrgb(image, image)).toBe(image);
    expect(image.data[0]).toBeCloseTo(1, 4);
  });

  it('rejects a Lab image with the wrong channel count', () => {
    const matte: FloatImage = { width: 1, height: 1, channels: 1, data: new Float32Array(1) };
    expect(() => labToSrgb(matte)).toThrow(/Expected 3 channel\(s\) for lab but received 1/);
  });
});
