import { describe, expect, it } from 'vitest';
import { trimapUnknownRegion } from './trimapUnknownRegion';

describe('trimapUnknownRegion', () => {
  it('marks values strictly between background and foreground, for 8-bit and float trimaps', () => {
    expect(Array.from(trimapUnknownRegion({ width: 4, height: 1, channels: 1, data: Uint8Array.from([0, 128, 255, 1]) }).data)).toEqual([0, 1, 0, 1]);
    expect(Array.from(trimapUnknownRegion({ width: 3, height: 1, channels: 1, data: Float32Array.from([0, 0.5, 1]) }).data)).toEqual([0, 1, 0]);
  });
});
