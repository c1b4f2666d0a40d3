import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { srgbPixelToLab } from '../color/srgbToLab';
import type { FloatImage } from '../imageTypes';
import { HEATMAP_FULL_SCALE, suppressSpill } from './suppressSpill';

type Rgb = [number, number, number];

function rgbImage(pixels: Rgb[]): FloatImage {
  return { width: pixels.length, height: 1, channels: 3, data: Float32Array.from(pixels.flat()) };
}

function matte(values: number[]): FloatImage {
  return { width: values.length, height: 1, channels: 1, data: Float32Array.from(values) };
}

function labAt(image: FloatImage, pixel: number): number[] {
  const lab = new Float64Array(3);
  srgbPixelToLab(image.data, pixel * 3, lab, 0);
  return [...lab];
}

/** Unit chroma direction of a Lab colour and the projection of another Lab colour's chroma on it. */
function projectionOn(lab: number[], direction: number[]): { along: number; across: number } {
  const length = Math.hypot(direction[1]!, direction[2]!);
  const unitA = direction[1]! / length;
  const unitB = direction[2]! / length;
  return { along: lab[1]! * unitA + lab[2]! * unitB, across: -lab[1]! * unitB + lab[2]! * unitA };
}

const greenScreen: Rgb = [0.3, 0.65, 0.3];
const greenishEdge: Rgb = [0.36, 0.62, 0.36];

describe('suppressSpill', () => {
  it('removes the green-ward chroma of a greenish edge pixel over green, keeping L and the orthogonal chroma', () => {
    const foreground = rgbImage([greenishEdge]);
    const background = rgbImage([greenScreen]);
    const heatmap = matte([0]);
    const result = suppressSpill(foreground, matte([0.5]), background, { heatmap });
    const before = labAt(foreground, 0);
    const behind = labAt(background, 0);
    const after = labAt(result, 0);
    const deltaE = Math.hypot(before[0]! - behind[0]!, before[1]! - behind[1]!, before[2]! - behind[2]!);
    expect(deltaE).toBeLessThan(18);
    const suppression = 0.85 * (1 - deltaE / 18);
    const { along, across } = projectionOn(before, behind);
    expect(along).toBeGreaterThan(10);
    expect(after[0]).toBeCloseTo(before[0]!, 2);
    expect(projectionOn(after, behind).along).toBeCloseTo(along * (1 - suppression), 1);
    expect(projectionOn(after, behind).across).toBeCloseTo(across, 1);
    expect(heatmap.data[0]).toBeCloseTo((suppression * along) / HEATMAP_FULL_SCALE, 3);
  });

  it('fades suppression out towards α = 1 over opaqueFade', () => {
    const foreground = rgbImage([greenishEdge, greenishEdge, greenishEdge]);
    const background = rgbImage([greenScreen, greenScreen, greenScreen]);
    const result = suppressSpill(foreground, matte([0.5, 0.85, 0.85]), background, {});
    const noFade = suppressSpill(foreground, matte([0.5, 0.85, 0.85]), background, { opaqueFade: 0 });
    const behind = labAt(background, 0);
    const before = projectionOn(labAt(foreground, 0), behind).along;
    const removedAt = (image: FloatImage, pixel: number) => before - projectionOn(labAt(image, pixel), behind).along;
    // α 0.5 is outside the fade (1 − α ≥ 0.3); α 0.85 keeps (1 − 0.85) / 0.3 = half the suppression.
    expect(removedAt(result, 0)).toBeCloseTo(removedAt(noFade, 0), 3);
    expect(removedAt(result, 1)).toBeCloseTo(removedAt(noFade, 1) / 2, 1);
    expect(removedAt(noFade, 1)).toBeGreaterThan(2);
  });

  it('spares skin-like hues: a warm skin tone over an orange wall keeps its colour', () => {
    // Skin (Lab hue ≈ 50°) over a similar orange wall: without protection it loses its orange-ward chroma.
    const skin: Rgb = [0.8, 0.6, 0.48];
    const wall: Rgb = [0.85, 0.6, 0.4];
    const lab = labAt(rgbImage([skin]), 0);
    const hue = (Math.atan2(lab[2]!, lab[1]!) * 180) / Math.PI;
    expect(hue).toBeGreaterThan(20);
    expect(hue).toBeLessThan(60);
    const unprotected = suppressSpill(rgbImage([skin]), matte([0.5]), rgbImage([wall]), { skinProtection: 0 });
    const protectedSkin = suppressSpill(rgbImage([skin]), matte([0.5]), rgbImage([wall]));
    expect(Math.hypot(...labAt(unprotected, 0).map((value, index) => value - lab[index]!))).toBeGreaterThan(3);
    expect([...protectedSkin.data]).toEqual([...rgbImage([skin]).data]);
  });

  it('leaves a pixel at ΔE ≥ maxDeltaE from the background untouched', () => {
    const foreground = rgbImage([[0.8, 0.5, 0.4]]);
    const heatmap = matte([0.7]);
    const result = suppressSpill(foreground, matte([0.5]), rgbImage([greenScreen]), { heatmap });
    expect([...result.data]).toEqual([...foreground.data]);
    expect(heatmap.data[0]).toBe(0);
  });

  it('leaves pixels with alpha 0, 1 or within 1/255 of them untouched, and honours bandLow/bandHigh', () => {
    const alphas = [0, 1, 0.5 / 255, 1 / 255, 254 / 255, 1 - 0.2 / 255];
    const foreground = rgbImage(alphas.map(() => greenishEdge));
    const background = rgbImage(alphas.map(() => greenScreen));
    expect([...suppressSpill(foreground, matte(alphas), background).data]).toEqual([...foreground.data]);
    const banded = suppressSpill(rgbImage([greenishEdge, greenishEdge]), matte([0.2, 0.6]), rgbImage([greenScreen, greenScreen]), {
      bandLow: 0.3,
      bandHigh: 0.9,
    });
    expect([...banded.data.subarray(0, 3)]).toEqual([...Float32Array.from(greenishEdge)]);
    expect(banded.data[4]).toBeLessThan(Math.fround(greenishEdge[1]));
  });

  it('leaves everything untouched when the background is neutral (no spill direction)', () => {
    const foreground = rgbImage([greenishEdge]);
    const result = suppressSpill(foreground, matte([0.5]), rgbImage([[0.5, 0.5, 0.5]]));
    expect([...result.data]).toEqual([...foreground.data]);
  });

  const unit = fc.float({ min: 0, max: 1, noNaN: true });
  const color = fc.tuple(unit, unit, unit);
  const bandAlpha = fc.float({ min: Math.fround(0.01), max: Math.fround(0.99), noNaN: true });

  it('is the identity at strength 0', () => {
    fc.assert(
      fc.property(color, color, bandAlpha, (front, back, coverage) => {
        const foreground = rgbImage([front]);
        const result = suppressSpill(foreground, matte([coverage]), rgbImage([back]), { strength: 0 });
        expect([...result.data]).toEqual([...foreground.data]);
      }),
    );
  });

  // Colours near the background so that suppression is active; results clamped to the gamut are excluded because
  // clamping, not suppression, moves them.
  const nearPair = fc
    .tuple(color, fc.tuple(...[0, 1, 2].map(() => fc.float({ min: Math.fround(-0.12), max: Math.fround(0.12), noNaN: true }))))
    .map(([back, offset]) => [back, back.map((value, channel) => Math.min(1, Math.max(0, value + offset[channel]!)))] as [Rgb, Rgb]);

  it('preserves L and the chroma orthogonal to the background direction, and never raises the projection', () => {
    fc.assert(
      fc.property(nearPair, bandAlpha, fc.float({ min: 0, max: 1, noNaN: true }), ([back, front], coverage, strength) => {
        const foreground = rgbImage([front]);
        const background = rgbImage([back]);
        const result = suppressSpill(foreground, matte([coverage]), background, { strength });
        fc.pre(result.data.every((value) => value > 0 && value < 1));
        const behind = labAt(background, 0);
        fc.pre(Math.hypot(behind[1]!, behind[2]!) >= 2);
        const before = labAt(foreground, 0);
        const after = labAt(result, 0);
        expect(Math.abs(after[0]! - before[0]!)).toBeLessThan(0.05);
        expect(Math.abs(projectionOn(after, behind).across - projectionOn(before, behind).across)).toBeLessThan(0.05);
        expect(projectionOn(after, behind).along).toBeLessThanOrEqual(Math.max(0, projectionOn(before, behind).along) + 0.05);
      }),
      { numRuns: 400 },
    );
  });

  it('never increases the background-ward projection when applied twice', () => {
    fc.assert(
      fc.property(nearPair, bandAlpha, ([back, front], coverage) => {
        const background = rgbImage([back]);
        const alpha = matte([coverage]);
        const once = suppressSpill(rgbImage([front]), alpha, background);
        const twice = suppressSpill(once, alpha, background);
        const behind = labAt(background, 0);
        fc.pre(Math.hypot(behind[1]!, behind[2]!) >= 2);
        const first = projectionOn(labAt(once, 0), behind).along;
        expect(projectionOn(labAt(twice, 0), behind).along).toBeLessThanOrEqual(Math.max(0, first) + 0.05);
      }),
      { numRuns: 400 },
    );
  });

  it('writes in place when out is the foreground, and zeroes the heat map outside the band', () => {
    const foreground = rgbImage([greenishEdge, greenishEdge]);
    const heatmap = matte([0.9, 0.9]);
    const result = suppressSpill(foreground, matte([0.5, 1]), rgbImage([greenScreen, greenScreen]), { out: foreground, heatmap });
    expect(result).toBe(foreground);
    expect(foreground.data[1]).toBeLessThan(Math.fround(greenishEdge[1]));
    expect(heatmap.data[0]).toBeGreaterThan(0);
    expect(heatmap.data[1]).toBe(0);
  });

  it('rejects bad options and mismatched images with the house error template', () => {
    const foreground = rgbImage([greenishEdge]);
    const background = rgbImage([greenScreen]);
    expect(() => suppressSpill(foreground, matte([0.5]), background, { strength: 1.5 })).toThrow(
      'Expected a number in [0, 1] for options.strength but received 1.5',
    );
    expect(() => suppressSpill(foreground, matte([0.5, 0.5]), background)).toThrow(RangeError);
    expect(() => suppressSpill(foreground, matte([0.5]), background, { bandLow: 0.6, bandHigh: 0.4 })).toThrow(RangeError);
    expect(() => suppressSpill(foreground, matte([0.5]), background, { maxDeltaE: 0 })).toThrow(RangeError);
  });
});
