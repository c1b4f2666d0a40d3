import { describe, expect, it } from 'vitest';
import { createFloatImage } from '../imageTypes';
import { assessMatte } from './assessMatte';
import { labelComponents } from '../morphology/labelComponents';

function matteWithRect(width: number, height: number, x0: number, y0: number, x1: number, y1: number) {
  const alpha = createFloatImage(width, height, 1);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) alpha.data[y * width + x] = 1;
  return alpha;
}

describe('labelComponents', () => {
  it('separates 4-connected regions and counts their areas', () => {
    const image = { width: 4, height: 3, channels: 1, data: new Float32Array([1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0]) };
    const { labels, areas } = labelComponents(image);
    expect(areas.slice(1).sort()).toEqual([1, 1, 2, 2]);
    expect(labels[0]).toBe(labels[1]);
    expect(labels[3]).toBe(labels[7]);
    expect(labels[8]).not.toBe(labels[0]);
    expect(labels[10]).not.toBe(labels[8]);
  });
});

describe('assessMatte', () => {
  it('accepts one solid subject', () => {
    const verdict = assessMatte(matteWithRect(100, 100, 30, 20, 70, 100));
    expect(verdict.isUsable).toBe(true);
    expect(verdict.coverage).toBeCloseTo(0.32, 5);
    expect(verdict.fragments).toBe(1);
  });
  it('rejects an empty matte', () => {
    const verdict = assessMatte(createFloatImage(50, 50, 1));
    expect(verdict.isUsable).toBe(false);
    expect(verdict.reason).toMatch(/empty/);
  });
  it('rejects a matte covering everything', () => {
    const verdict = assessMatte(matteWithRect(50, 50, 0, 0, 50, 50));
    expect(verdict.reason).toMatch(/whole image/);
  });
  it('rejects a checkerboard of fragments', () => {
    const alpha = createFloatImage(120, 120, 1);
    for (let y = 0; y < 120; y++) for (let x = 0; x < 120; x++) if ((Math.floor(x / 10) + Math.floor(y / 10)) % 2 === 0) alpha.data[y * 120 + x] = 1;
    const verdict = assessMatte(alpha);
    expect(verdict.isUsable).toBe(false);
    expect(verdict.reason).toMatch(/fragmented/);
  });
  it('judges a model-size matte on a reduced copy with the same verdicts', () => {
    const big = matteWithRect(1024, 1024, 300, 200, 700, 1024);
    const verdict = assessMatte(big);
    expect(verdict.isUsable).toBe(true);
    expect(verdict.coverage).toBeCloseTo((400 * 824) / (1024 * 1024), 2);
    const speckled = createFloatImage(1024, 1024, 1);
    for (let y = 0; y < 1024; y++) for (let x = 0; x < 1024; x++) if ((Math.floor(x / 40) + Math.floor(y / 40)) % 2 === 0) speckled.data[y * 1024 + x] = 1;
    expect(assessMatte(speckled).reason).toMatch(/fragmented/);
  });
});
