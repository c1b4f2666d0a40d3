import { afterEach, describe, expect, it } from 'vitest';
import { boxBlur } from './filters/boxBlur';
import { guidedUpsample } from './filters/guidedUpsample';
import type { AlphaMatte, FloatImage, Image8 } from './imageTypes';
import { distanceAcrossContour } from './matting/distanceAcrossContour';
import { edgeBandTrimap } from './matting/edgeBandTrimap';
import { estimateForeground } from './matting/estimateForeground';
import { solveBandAlpha } from './matting/solveBandAlpha';
import { openWorkingScope, releaseWorkingArrays, withWorkingArrays, workingArrayBytes } from './workingArrays';

afterEach(() => releaseWorkingArrays());

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator), so the pictures are repeatable. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A textured picture with a soft, wavy subject edge, and its matte. */
function scene(width: number, height: number, seed: number): { image: FloatImage; image8: Image8; alpha: AlphaMatte } {
  const random = randomSource(seed);
  const image8: Image8 = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
  const alpha: AlphaMatte = { width, height, channels: 1, data: new Float32Array(width * height) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = y * width + x;
      const edge = width * 0.5 + 3 * Math.sin(y / 3);
      const a = Math.min(1, Math.max(0, (x - edge) / 4 + 0.5));
      alpha.data[pixel] = a;
      for (let c = 0; c < 3; c++) image8.data[pixel * 3 + c] = Math.round(255 * (a * (0.2 + 0.6 * random()) + (1 - a) * (c === 2 ? 0.8 : 0.1)));
    }
  }
  const image: FloatImage = { width, height, channels: 3, data: Float32Array.from(image8.data, (value) => value / 255) };
  return { image, image8, alpha };
}

describe('working arrays', () => {
  it('hand out separate, aligned arrays within a scope and the same memory again once it closed', () => {
    const first = withWorkingArrays((borrow) => {
      const a = borrow(Float32Array, 10);
      const b = borrow(Float64Array, 3);
      expect(a.buffer).toBe(b.buffer);
      expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength); // no overlap
      expect(b.byteOffset % 64).toBe(0);
      a.fill(7);
      b.fill(-1);
      expect([...a]).toEqual(Array(10).fill(7));
      return { buffer: a.buffer, offset: a.byteOffset };
    });
    withWorkingArrays((borrow) => {
      const again = borrow(Uint8Array, 40);
      expect(again.buffer).toBe(first.buffer);
      expect(again.byteOffset).toBe(first.offset);
    });
  });

  it('keeps an outer scope\'s arrays while an inner scope borrows and gives back', () => {
    withWorkingArrays((borrow) => {
      const outer = borrow(Int32Array, 1000).fill(5);
      const innerOffset = withWorkingArrays((inner) => {
        const array = inner(Int32Array, 1000).fill(9);
        return array.byteOffset;
      });
      expect(innerOffset).toBeGreaterThanOrEqual(outer.byteOffset + outer.byteLength);
      expect(outer.every((value) => value === 5)).toBe(true);
      // After the inner scope closed, the next array takes its place.
      expect(borrow(Int32Array, 10).byteOffset).toBe(innerOffset);
    });
  });

  it('grows past a chunk without disturbing what is already lent', () => {
    withWorkingArrays((borrow) => {
      const small = borrow(Uint8Array, 1000).fill(3);
      const large = borrow(Float64Array, 5_000_000); // 40 MB: more than the 32 MB chunk
      large[large.length - 1] = 1;
      expect(large.buffer).not.toBe(small.buffer);
      expect(small.every((value) => value === 3)).toBe(true);
    });
    expect(workingArrayBytes()).toBeGreaterThanOrEqual(40_000_000);
  });

  it('refuses to borrow outside a scope and to close an outer scope before an inner one', () => {
    const outer = openWorkingScope();
    outer.close();
    expect(() => outer.borrow(Float32Array, 1)).toThrow(/scope/);
    const first = openWorkingScope();
    const second = openWorkingScope();
    expect(() => first.close()).toThrow(/innermost first/);
    second.close();
    first.close();
  });

  it('gives back what a scope lent when its work throws', () => {
    const offset = withWorkingArrays((borrow) => borrow(Float32Array, 16).byteOffset);
    expect(() => withWorkingArrays((borrow) => {
      borrow(Float32Array, 64);
      throw new Error('kernel failed');
    })).toThrow('kernel failed');
    expect(withWorkingArrays((borrow) => borrow(Float32Array, 16).byteOffset)).toBe(offset);
  });

  it('lets its memory go on release', () => {
    withWorkingArrays((borrow) => borrow(Uint8Array, 1000));
    expect(workingArrayBytes()).toBeGreaterThan(0);
    releaseWorkingArrays();
    expect(workingArrayBytes()).toBe(0);
  });
});

// Each kernel that borrows working arrays must give exactly what it gives on a fresh thread when the arena holds
// garbage: NaN everywhere, then another picture's values. A kernel that read before writing would pick them up.
describe('kernels with working arrays', () => {
  const large = scene(48, 40, 1);
  const small = scene(30, 26, 2);

  function sameAfterOtherPicture<T>(run: (picture: ReturnType<typeof scene>) => T, values: (result: T) => ArrayLike<number>) {
    releaseWorkingArrays();
    const fresh = Array.from(values(run(small)));
    expect(workingArrayBytes()).toBeGreaterThan(0); // the kernel did borrow
    withWorkingArrays((borrow) => borrow(Float32Array, workingArrayBytes() / 4).fill(NaN));
    expect(Array.from(values(run(small)))).toEqual(fresh);
    run(large);
    expect(Array.from(values(run(small)))).toEqual(fresh);
  }

  it('solveBandAlpha', () => {
    sameAfterOtherPicture((picture) => {
      const trimap = edgeBandTrimap(picture.alpha, { radiusPx: 3 });
      const prior = { ...picture.alpha, data: picture.alpha.data.map((value) => (value >= 0.5 ? 1 : 0)) };
      return solveBandAlpha(picture.image, prior, trimap);
    }, (result) => result.data);
  });

  it('edgeBandTrimap', () => {
    sameAfterOtherPicture((picture) => edgeBandTrimap(picture.alpha, { radiusPx: 4, isSmartRadius: true }), (result) => result.data);
  });

  it('distanceAcrossContour, on the whole-picture transform path', () => {
    // A wide reach over a small picture takes the two distance transforms, which use working planes.
    sameAfterOtherPicture((picture) => distanceAcrossContour(picture.alpha, 30), (result) => result.data);
  });

  it('guidedUpsample', () => {
    sameAfterOtherPicture((picture) => {
      const { width, height } = picture.image;
      const low: AlphaMatte = { width: width >> 1, height: height >> 1, channels: 1, data: new Float32Array((width >> 1) * (height >> 1)) };
      for (let y = 0; y < low.height; y++) for (let x = 0; x < low.width; x++) low.data[y * low.width + x] = picture.alpha.data[2 * y * width + 2 * x]!;
      return guidedUpsample(low, picture.image8);
    }, (result) => result.data);
  });

  it('boxBlur in place', () => {
    sameAfterOtherPicture((picture) => {
      const copy = { ...picture.image, data: picture.image.data.slice() };
      return boxBlur(copy, { radiusPx: 2 }, copy);
    }, (result) => result.data);
  });

  it('estimateForeground', () => {
    sameAfterOtherPicture((picture) => estimateForeground(picture.image, picture.alpha, { radiusPx: 9 }), (result) => [...result.foreground.data, ...result.background.data]);
  });
});
