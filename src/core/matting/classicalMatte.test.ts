import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classicalMatte } from './classicalMatte';

function portrait(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  const truth = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const head = ((x - width / 2) / (width * 0.16)) ** 2 + ((y - height * 0.35) / (height * 0.2)) ** 2 < 1;
      const body = y > height * 0.55 && Math.abs(x - width / 2) < width * 0.3;
      const inside = head || body;
      truth[y * width + x] = inside ? 1 : 0;
      const texture = ((x * 7 + y * 13) % 9) * 2;
      data.set(inside ? [200 + texture / 2, 140, 110] : [60, 110 + texture, 170], (y * width + x) * 3);
    }
  }
  return { image: { width, height, channels: 3, data }, truth };
}

describe('classicalMatte', () => {
  it('finds a head-and-shoulders subject on a distinct background (IoU > 0.85)', () => {
    const { image, truth } = portrait(160, 120);
    const alpha = classicalMatte(image);
    let intersection = 0;
    let union = 0;
    for (let index = 0; index < truth.length; index++) {
      const predicted = alpha.data[index]! > 0.5 ? 1 : 0;
      intersection += predicted & truth[index]!;
      union += predicted | truth[index]!;
    }
    expect(intersection / union).toBeGreaterThan(0.85);
  });

  it('never fails and always returns a plausible matte in [0, 1], even on noise or flat images (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 40 }), fc.integer({ min: 8, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (width, height, seed) => {
        let state = seed;
        const data = new Uint8Array(width * height * 3);
        const isFlat = seed % 3 === 0;
        for (let index = 0; index < data.length; index++) {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          data[index] = isFlat ? 128 : state & 255;
        }
        const alpha = classicalMatte({ width, height, channels: 3, data });
        let coverage = 0;
        for (const value of alpha.data) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
          coverage += value > 0.5 ? 1 : 0;
        }
        expect(coverage / (width * height)).toBeGreaterThan(0.01);
        expect(coverage / (width * height)).toBeLessThan(0.97);
      }),
      // The example is a noise picture whose matte once blurred away to 0.8 % coverage after passing the check.
      { numRuns: 40, examples: [[39, 35, 1703467856]] },
    );
  });
});
