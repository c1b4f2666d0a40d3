import { describe, expect, it } from 'vitest';
import { dabSpacingPx, spaceDabs } from './dabSpacing';

const point = (x: number, y: number, pressure = 1) => ({ x, y, pressure });

describe('dabSpacingPx', () => {
  it('is a quarter of the size, at least half a pixel', () => {
    expect(dabSpacingPx(40)).toBe(10);
    expect(dabSpacingPx(1)).toBe(0.5);
  });
});

describe('spaceDabs', () => {
  it('places dabs at equal spacing along a segment', () => {
    const { dabs, travelledPx } = spaceDabs(point(0, 0), point(25, 0), 10, 0);
    expect(dabs.map((dab) => dab.x)).toEqual([10, 20]);
    expect(travelledPx).toBeCloseTo(5);
  });
  it('carries the distance into the next segment', () => {
    const first = spaceDabs(point(0, 0), point(25, 0), 10, 0);
    const second = spaceDabs(point(25, 0), point(25, 20), 10, first.travelledPx);
    expect(second.dabs.map((dab) => [dab.x, dab.y])).toEqual([[25, 5], [25, 15]]);
    expect(second.travelledPx).toBeCloseTo(5);
  });
  it('gives no dab on a short move but remembers it', () => {
    const { dabs, travelledPx } = spaceDabs(point(0, 0), point(3, 4), 10, 2);
    expect(dabs).toEqual([]);
    expect(travelledPx).toBeCloseTo(7);
  });
  it('interpolates pressure', () => {
    const { dabs } = spaceDabs(point(0, 0, 0), point(20, 0, 1), 10, 0);
    expect(dabs.map((dab) => dab.pressure)).toEqual([0.5, 1]);
  });
  it('has as many dabs for one long segment as for many short ones', () => {
    const long = spaceDabs(point(0, 0), point(100, 0), 4, 0).dabs.length;
    let travelled = 0;
    let count = 0;
    for (let x = 0; x < 100; x += 1) {
      const step = spaceDabs(point(x, 0), point(x + 1, 0), 4, travelled);
      travelled = step.travelledPx;
      count += step.dabs.length;
    }
    expect(count).toBe(long);
  });
});
