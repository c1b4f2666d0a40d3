import { describe, expect, it } from 'vitest';
import { compositeOver } from './compositeOver';

describe('compositeOver', () => {
  it('mixes foreground and background by alpha and returns opaque pixels', () => {
    const foreground = { width: 2, height: 1, channels: 3, data: Float32Array.from([1, 0, 0, 1, 1, 1]) };
    const alpha = { width: 2, height: 1, channels: 1, data: Float32Array.from([0.25, 1]) };
    const background = { width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 0, 200, 10, 20, 30]) };
    expect(Array.from(compositeOver(foreground, alpha, background).data)).toEqual([64, 0, 150, 255, 255, 255, 255, 255]);
  });
  it('rejects a background of another size', () => {
    const image = { width: 2, height: 1, channels: 3, data: new Float32Array(6) };
    const alpha = { width: 2, height: 1, channels: 1, data: new Float32Array(2) };
    expect(() => compositeOver(image, alpha, { width: 1, height: 1, channels: 3, data: new Uint8Array(3) })).toThrow(/Expected a 2×1 image for background/);
  });
});
