import { describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import { isSameFrame } from './isSameFrame';

const frame = (values: number[], width = values.length / 3, height = 1): Image8 => ({ width, height, channels: 3, data: Uint8Array.from(values) });

describe('isSameFrame', () => {
  it('recognises exact copies, also as views into larger buffers', () => {
    const pipe = new Uint8Array([9, 9, 10, 20, 30, 40, 50, 60, 9]);
    const view: Image8 = { width: 2, height: 1, channels: 3, data: pipe.subarray(2, 8) };
    expect(isSameFrame(view, frame([10, 20, 30, 40, 50, 60]))).toBe(true);
    expect(isSameFrame(frame([10, 20, 30, 40, 50, 60]), frame([10, 20, 30, 40, 50, 60]), { maxChannelDifference: 0 })).toBe(true);
  });

  it('allows compression noise up to the limit and not one level more', () => {
    const base = frame([10, 20, 30, 40, 50, 60]);
    expect(isSameFrame(base, frame([12, 18, 30, 40, 50, 61]))).toBe(true);
    expect(isSameFrame(base, frame([13, 20, 30, 40, 50, 60]))).toBe(false);
    expect(isSameFrame(base, frame([10, 20, 30, 40, 50, 57]))).toBe(false);
    expect(isSameFrame(base, frame([11, 20, 30, 40, 50, 60]), { maxChannelDifference: 0 })).toBe(false);
  });

  it('says no for a change in one sample of a large frame (a small moving region)', () => {
    const width = 640;
    const height = 360;
    const a: Image8 = { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(128) };
    const b: Image8 = { ...a, data: new Uint8Array(a.data) };
    b.data[width * height * 3 - 1] = 140;
    expect(isSameFrame(a, b)).toBe(false);
    b.data[width * height * 3 - 1] = 129;
    expect(isSameFrame(a, b)).toBe(true);
  });

  it('says no for different sizes or layouts', () => {
    expect(isSameFrame(frame([1, 2, 3, 4, 5, 6], 2, 1), frame([1, 2, 3, 4, 5, 6], 1, 2))).toBe(false);
    expect(isSameFrame(frame([1, 2, 3]), { width: 1, height: 1, channels: 4, data: Uint8Array.from([1, 2, 3, 255]) })).toBe(false);
  });
});
