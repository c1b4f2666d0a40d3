import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePng } from './encodePng';

describe('encodePng', () => {
  it('keeps a one-channel matte one channel, and RGBA as RGBA with straight values', async () => {
    const png = await encodePng({ width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 200]) });
    expect((await sharp(png).metadata()).channels).toBe(1);
    expect(Array.from(await sharp(png).extractChannel(0).raw().toBuffer())).toEqual([0, 200]);
    const rgba = await sharp(await encodePng({ width: 1, height: 1, channels: 4, data: Uint8Array.from([250, 10, 20, 64]) })).raw().toBuffer();
    expect(Array.from(rgba)).toEqual([250, 10, 20, 64]);
  });
});
