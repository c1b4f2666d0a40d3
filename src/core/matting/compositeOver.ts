import { assertImage, type AlphaMatte, type FloatImage, type Image8, type ImageBuffer } from '../imageTypes';

/**
 * Composites a straight-colour foreground over a background picture: `αF + (1 − α)B`, in sRGB-encoded values as
 * editors do. Returns opaque RGBA (alpha 255) so it can go to any RGBA frame writer.
 * @param foreground 3-channel float colour in [0, 1].
 * @param alpha One-channel coverage.
 * @param background 3-channel 8-bit picture of the same size.
 */
export function compositeOver(foreground: FloatImage, alpha: AlphaMatte, background: ImageBuffer, out?: Image8): Image8 {
  const { width, height } = foreground;
  assertImage(foreground, 'foreground', { channels: 3 });
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  assertImage(background, 'background', { channels: 3, width, height });
  const result = out ?? { width, height, channels: 4, data: new Uint8Array(width * height * 4) };
  assertImage(result, 'out', { channels: 4, width, height });
  const backgroundScale = background.data instanceof Float32Array ? 255 : 1;
  for (let pixel = 0; pixel < width * height; pixel++) {
    const coverage = alpha.data[pixel]!;
    for (let channel = 0; channel < 3; channel++) {
      const value = coverage * foreground.data[pixel * 3 + channel]! * 255 + (1 - coverage) * background.data[pixel * 3 + channel]! * backgroundScale;
      result.data[pixel * 4 + channel] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
    result.data[pixel * 4 + 3] = 255;
  }
  return result;
}
