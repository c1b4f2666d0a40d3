import { describe, expect, it } from 'vitest';
import { planBalancedStrips, rowWorkOf, softPixelCost } from './balancedStrips';
import type { StripSpan } from '../pipeline/refineInStrips';

/** The work each strip refines: every row it reads, overlap included. */
function workPerStrip(rowWork: ArrayLike<number>, spans: StripSpan[]): number[] {
  return spans.map((span) => {
    let sum = 0;
    for (let y = span.readTop; y < span.readBottom; y++) sum += rowWork[y]!;
    return sum;
  });
}

/** Checks the strips keep every row once, in order, each read with its overlap clipped to the picture. */
function expectTiling(spans: StripSpan[], height: number, overlap: number): void {
  expect(spans[0]!.top).toBe(0);
  expect(spans.at(-1)!.bottom).toBe(height);
  spans.forEach((span, index) => {
    expect(span.bottom).toBeGreaterThan(span.top);
    if (index > 0) expect(span.top).toBe(spans[index - 1]!.bottom);
    expect(span.readTop).toBe(Math.max(0, span.top - overlap));
    expect(span.readBottom).toBe(Math.min(height, span.bottom + overlap));
  });
}

describe('rowWorkOf', () => {
  it('counts each row’s partly transparent pixels on top of its width', () => {
    const width = 10;
    // Row 0 all decided (0 and 1), row 1 three soft pixels, row 2 α within the 5 % margins (decided).
    const data = Float32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0.5, 0.2, 0.9, 1, 1, 1, 1, 0, 0, 0, 0.04, 0.96, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(rowWorkOf({ width, height: 3, channels: 1, data }))).toEqual([width, width + 3 * softPixelCost, width]);
  });
});

describe('planBalancedStrips', () => {
  it('cuts rows of equal work into strips of equal height (to a row)', () => {
    const rowWork = new Float64Array(1080).fill(1920);
    const spans = planBalancedStrips(rowWork, 75, 2);
    expect(spans).toHaveLength(2);
    expectTiling(spans, 1080, 75);
    expect(Math.abs(spans[0]!.bottom - 540)).toBeLessThanOrEqual(1);
  });

  it('gives the strip with the edge band fewer rows, so the strips’ work is about equal', () => {
    // A portrait whose soft edge lies in its bottom third (loose hair on the shoulders).
    const rowWork = Float64Array.from({ length: 1080 }, (_, y) => 1920 + (y >= 720 ? 600 * softPixelCost : 0));
    for (const count of [2, 3, 4]) {
      const spans = planBalancedStrips(rowWork, 60, count);
      expect(spans).toHaveLength(count);
      expectTiling(spans, 1080, 60);
      const work = workPerStrip(rowWork, spans);
      const even = planBalancedStrips(new Float64Array(1080).fill(1), 60, count);
      // Equal heights would leave the last strip far more work; balanced, no strip has more than a few % above the mean.
      const mean = work.reduce((sum, value) => sum + value, 0) / count;
      expect(Math.max(...work) / mean, `${count} strips`).toBeLessThan(1.06);
      expect(Math.max(...work)).toBeLessThan(Math.max(...workPerStrip(rowWork, even)) * 0.9);
      expect(spans.at(-1)!.bottom - spans.at(-1)!.top).toBeLessThan(1080 / count);
    }
  });

  it('keeps at least one row per strip, and makes no more strips than rows', () => {
    // All the work in one row: bisection alone would put every other row into one strip.
    const rowWork = Float64Array.from({ length: 9 }, (_, y) => (y === 4 ? 1e6 : 1));
    const spans = planBalancedStrips(rowWork, 2, 4);
    expect(spans).toHaveLength(4);
    expectTiling(spans, 9, 2);
    expect(planBalancedStrips(new Float64Array(3).fill(1), 0, 8)).toHaveLength(3);
  });
});

