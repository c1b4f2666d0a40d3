import { assertImage, byteLevel, type AlphaMatte, type FloatImage, type Image8 } from '../imageTypes';

/** Options for {@link composeRgba}. */
export interface ComposeRgbaOptions {
  /**
   * Store colour multiplied by alpha (what compositors expecting premultiplied input, e.g. some video codecs, want).
   * Straight alpha keeps the estimated foreground colour even where alpha is 0, so edges can be re-edited. @default false
   */
  readonly premultiplied?: boolean;
}

/**
 * Packs a foreground colour estimate and a matte into an 8-bit RGBA cut-out (values rounded, clamped to 0–255).
 * @param foreground 3-channel float colour in [0, 1] (straight, e.g. from `estimateForeground`).
 * @param alpha One-channel matte of the same size.
 * @param options Straight or premultiplied colour.
 * @param out Optional 4-channel 8-bit destination of the same size.
 * @returns `out`, or a new RGBA image.
 */
export function composeRgba(foreground: FloatImage, alpha: AlphaMatte, options: ComposeRgbaOptions = {}, out?: Image8): Image8 {
  assertImage(foreground, 'foreground', { channels: 3 });
  const { width, height } = foreground;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  const result = out ?? { width, height, channels: 4, data: new Uint8Array(width * height * 4) };
  assertImage(result, 'out', { channels: 4, width, height });
  const isPremultiplied = options.premultiplied ?? false;
  const colour = foreground.data;
  const coverage = alpha.data;
  const target = result.data;
  // A local alias: module runners turn each call of an imported function into a property read (see srgbToLab.ts).
  const toByte = byteLevel;
  for (let pixel = 0; pixel < coverage.length; pixel++) {
    const a = coverage[pixel]!;
    const scale = (isPremultiplied ? (a <= 0 ? 0 : a >= 1 ? 1 : a) : 1) * 255;
    const source = pixel * 3;
    const index = pixel * 4;
    // Uint8Array stores truncate and wrap around, so round and clamp first.
    target[index] = toByte(colour[source]! * scale);
    target[index + 1] = toByte(colour[source + 1]! * scale);
    target[index + 2] = toByte(colour[source + 2]! * scale);
    target[index + 3] = toByte(a * 255);
  }
  return result;
}
