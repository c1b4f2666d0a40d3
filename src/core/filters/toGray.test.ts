import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toGray } from './toGray';

describe('toGray', () => {
  it('uses the Rec.601 weights of cv2 RGB2GRAY on 8-bit and float input', () => {
    const rgb = { width: 3, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]) };
    const result = toGray(rgb).data;
    expect(result[0]).toBeCloseTo(0.299, 6);
    expect(result[1]).toBeCloseTo(0.587, 6);
    expect(result[2]).toBeCloseTo(0.114, 6);
    expect(toGray({ width: 1, height: 1, channels: 3, data: Float32Array.from([0.5, 0.5, 0.5]) }).data[0]).toBeCloseTo(0.5, 6);
  });

  it('ignores the alpha channel of RGBA', () => {
    const rgba = { width: 1, height: 1, channels: 4, data: Uint8Array.from([10, 20, 30, 0]) };
    expect(toGray(rgba).data[0]).toBeCloseTo((0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255, 6);
  });

  it('maps grey pixels to their own level (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), (level) => {
      const result = toGray({ width: 1, height: 1, channels: 3, data: Uint8Array.from([level, level, level]) });
      expect(result.data[0]).toBeCloseTo(level / 255, 5);
    }));
  });

  it('rejects one-channel input', () => {
    expect(() => toGray({ width: 1, height: 1, channels: 1, data: new Float32Array(1) })).toThrow('Expected 3 or 4 channels for rgb but received 1');
  });
});
