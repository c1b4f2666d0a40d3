import { describe, expect, it } from 'vitest';
import { formatTimecode, frameAtOffset, frameFraction, nominalFrameRate, rationalToFps } from './timecode';

describe('formatTimecode', () => {
  it('formats frame 0', () => expect(formatTimecode(0, 25)).toBe('00:00:00:00'));
  it('counts frames within a second', () => expect(formatTimecode(24, 25)).toBe('00:00:00:24'));
  it('rolls seconds, minutes and hours', () => {
    expect(formatTimecode(25, 25)).toBe('00:00:01:00');
    expect(formatTimecode(25 * 61 + 3, 25)).toBe('00:01:01:03');
    expect(formatTimecode(25 * 3600 * 2 + 7, 25)).toBe('02:00:00:07');
  });
  it('counts 29.97 at the nominal 30', () => {
    expect(nominalFrameRate(30000 / 1001)).toBe(30);
    expect(formatTimecode(29, 30000 / 1001)).toBe('00:00:00:29');
    expect(formatTimecode(30, 30000 / 1001)).toBe('00:00:01:00');
  });
  it('reads bad input as frame 0 at 1 fps', () => {
    expect(formatTimecode(-5, 25)).toBe('00:00:00:00');
    expect(formatTimecode(Number.NaN, 25)).toBe('00:00:00:00');
    expect(formatTimecode(3, 0)).toBe('00:00:03:00');
  });
});

describe('rationalToFps', () => {
  it('divides', () => expect(rationalToFps({ num: 30000, den: 1001 })).toBeCloseTo(29.97, 2));
  it('keeps undefined', () => expect(rationalToFps(undefined)).toBeUndefined());
});

describe('frame positions', () => {
  it('maps offsets to frames and back', () => {
    expect(frameAtOffset(0, 200, 11)).toBe(0);
    expect(frameAtOffset(100, 200, 11)).toBe(5);
    expect(frameAtOffset(999, 200, 11)).toBe(10);
    expect(frameAtOffset(-3, 200, 11)).toBe(0);
    expect(frameFraction(5, 11)).toBe(0.5);
    expect(frameFraction(3, 1)).toBe(0);
  });
});
