import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skinLikeness } from './skinLikeness';

/** Lab chroma (a, b) at a hue angle in degrees. */
const atHue = (hue: number, chroma: number): [number, number] => [chroma * Math.cos((hue * Math.PI) / 180), chroma * Math.sin((hue * Math.PI) / 180)];

describe('skinLikeness', () => {
  it('is 1 inside the skin window and 0 well outside it', () => {
    expect(skinLikeness(...atHue(40, 25))).toBeCloseTo(1, 12);
    expect(skinLikeness(...atHue(85, 60))).toBe(0); // a yellow wall
    expect(skinLikeness(...atHue(200, 25))).toBe(0); // teal
    expect(skinLikeness(...atHue(40, 2))).toBe(0); // near grey
  });

  it('fades linearly over the margins', () => {
    expect(skinLikeness(...atHue(65, 25))).toBeCloseTo(0.5, 9);
    expect(skinLikeness(...atHue(15, 25))).toBeCloseTo(0.5, 9);
    expect(skinLikeness(...atHue(40, 6))).toBeCloseTo(0.5, 9);
    expect(skinLikeness(...atHue(40, 52))).toBeCloseTo(0.5, 9);
  });

  it('stays in [0, 1]', () => {
    fc.assert(fc.property(fc.double({ min: -128, max: 128, noNaN: true }), fc.double({ min: -128, max: 128, noNaN: true }), (a, b) => {
      const value = skinLikeness(a, b);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }));
  });
});
