import { describe, expect, it } from 'vitest';
import type { Image8 } from '../imageTypes';
import { padToEven } from './padToEven';

const image = (width: number, height: number, channels: number): Image8 => ({ width, height, channels, data: Uint8Array.from({ length: width * height * channels }, (_, index) => index + 1) });

describe('padToEven', () => {
  it('repeats the last column and row into the added ones', () => {
    const padded = padToEven(image(3, 3, 1));
    expect(padded).toMatchObject({ width: 4, height: 4, channels: 1 });
    expect([...padded.data]).toEqual([1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 7, 8, 9, 9]);
  });

  it('keeps every channel of a pixel together, and pads one side alone', () => {
    const wide = padToEven(image(1, 2, 3));
    expect(wide).toMatchObject({ width: 2, height: 2 });
    expect([...wide.data]).toEqual([1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
    const tall = padToEven(image(2, 1, 4));
    expect(tall).toMatchObject({ width: 2, height: 2 });
    expect([...tall.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('returns an even image as it is', () => {
    const even = image(4, 2, 4);
    expect(padToEven(even)).toBe(even);
  });
});
