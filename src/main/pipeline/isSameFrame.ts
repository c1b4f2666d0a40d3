/**
 * Whether two decoded frames show the same picture, so the second can reuse the first one's matte instead of running
 * the model again. A variable-frame-rate clip decoded on a constant-rate timeline repeats frames byte for byte; a
 * re-encoded repeat may differ by a level or two of compression noise, which `maxChannelDifference` allows.
 */
import type { Image8 } from '../../core/imageTypes';

/** Options of {@link isSameFrame}. */
export interface IsSameFrameOptions {
  /**
   * Largest difference of any one sample (0–255) still counted as the same picture. Real motion, even lips moving in a
   * talking head, changes some samples by far more than this.
   * @default 2
   */
  maxChannelDifference?: number;
}

/**
 * True when `a` and `b` have the same size and layout and no sample differs by more than `maxChannelDifference`.
 * Exact copies are recognised by one native memory comparison; otherwise the scan stops at the first sample over
 * the limit, so frames that really differ are rejected after reading only as far as their first visible change.
 *
 * Reusing a matte over a run of frames: compare each frame with the frame whose matte is being reused (the one the
 * model saw), not with the previous frame, so slow changes of a level per frame cannot add up unnoticed.
 */
export function isSameFrame(a: Image8, b: Image8, options: IsSameFrameOptions = {}): boolean {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || a.data.length !== b.data.length) return false;
  const left = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const right = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  if (left.equals(right)) return true;
  const limit = options.maxChannelDifference ?? 2;
  if (limit <= 0) return false;
  const first = a.data;
  const second = b.data;
  for (let index = 0; index < first.length; index++) {
    const difference = first[index]! - second[index]!;
    if (difference > limit || difference < -limit) return false;
  }
  return true;
}
