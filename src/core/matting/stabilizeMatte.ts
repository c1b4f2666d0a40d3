import { assertImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';

/** Options for {@link stabilizeMatte}. */
export interface StabilizeMatteOptions {
  /**
   * Colour change (0–1, mean over RGB of |frame − previous frame|, after a light blur by the caller if wanted) at and
   * above which a pixel counts as moving and takes the new alpha unchanged. @default 0.04
   */
  motionThreshold?: number;
  /** Largest weight given to the previous stabilised alpha where nothing moved, fraction 0–1. @default 0.8 */
  maxBlend?: number;
  /**
   * An alpha change larger than this is a real change (an arm coming in, a mouth opening) even where the colour barely
   * moved, and is taken at once. @default 0.5
   */
  snapDifference?: number;
  /** Destination; may be `alpha`. */
  out?: AlphaMatte;
}

/**
 * Motion-aware temporal stabilisation of a clip's matte: where the picture did not move, the new alpha is blended
 * toward the previous frame's stabilised alpha (removing model flicker); where it moved, the new alpha is taken as is
 * (no lag on moving edges). The blend weight falls linearly from `maxBlend` at zero colour change to 0 at
 * `motionThreshold`.
 * @param previousStable The previous frame's stabilised alpha.
 * @param alpha This frame's per-frame alpha.
 * @param previousFrame Previous frame, RGB (3 channels) floats in [0, 1] or 8-bit.
 * @param frame This frame, same layout and size.
 */
export function stabilizeMatte(
  previousStable: AlphaMatte,
  alpha: AlphaMatte,
  previousFrame: FloatImage | { width: number; height: number; channels: number; data: Uint8Array },
  frame: FloatImage | { width: number; height: number; channels: number; data: Uint8Array },
  options: StabilizeMatteOptions = {},
): AlphaMatte {
  const { width, height } = alpha;
  assertImage(alpha, 'alpha', { channels: 1 });
  assertImage(previousStable, 'previousStable', { channels: 1, width, height });
  assertImage(frame, 'frame', { channels: 3, width, height });
  assertImage(previousFrame, 'previousFrame', { channels: 3, width, height });
  const motionThreshold = options.motionThreshold ?? 0.04;
  const maxBlend = options.maxBlend ?? 0.8;
  const snapDifference = options.snapDifference ?? 0.5;
  if (!(motionThreshold > 0)) throw new RangeError(expectation('a positive number', 'motionThreshold', motionThreshold));
  if (!(maxBlend >= 0 && maxBlend < 1)) throw new RangeError(expectation('a fraction in [0, 1)', 'maxBlend', maxBlend));
  const out = options.out ?? { width, height, channels: 1, data: new Float32Array(width * height) };
  const colourScale = (frame.data instanceof Float32Array ? 1 : 1 / 255) / 3;
  const current = frame.data;
  const previous = previousFrame.data;
  for (let pixel = 0, sample = 0; pixel < width * height; pixel++, sample += 3) {
    const motion =
      (Math.abs(current[sample]! - previous[sample]!) + Math.abs(current[sample + 1]! - previous[sample + 1]!) + Math.abs(current[sample + 2]! - previous[sample + 2]!)) *
      colourScale;
    const fresh = alpha.data[pixel]!;
    const stable = previousStable.data[pixel]!;
    const stillness = motion >= motionThreshold ? 0 : 1 - motion / motionThreshold;
    const weight = Math.abs(fresh - stable) > snapDifference ? 0 : maxBlend * stillness;
    out.data[pixel] = weight * stable + (1 - weight) * fresh;
  }
  return out;
}
