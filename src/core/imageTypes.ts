/**
 * Image layout shared by every kernel in `src/core`.
 *
 * An image is plain data so it crosses `postMessage`, IPC and worker boundaries unchanged:
 * - `data` is row-major and channel-interleaved: the sample of channel `c` at pixel (x, y) is
 *   `data[(y * width + x) * channels + c]`;
 * - 8-bit images (`Uint8Array`) hold sRGB-encoded values 0–255 as they come from sharp or ffmpeg;
 * - float images (`Float32Array`) hold values in [0, 1]: sRGB-encoded colour for colour images, coverage for mattes;
 * - an alpha matte is a one-channel float image; 1 means fully foreground;
 * - colour is straight (not premultiplied) unless a function says otherwise.
 * Conversion to and from other layouts happens only at the sharp/ffmpeg boundary in `src/main`.
 */

/** Typed arrays a kernel may receive as pixel storage. */
export type PixelArray = Uint8Array | Uint8ClampedArray | Float32Array;

/** A row-major, channel-interleaved image. */
export interface ImageBuffer<T extends PixelArray = PixelArray> {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Samples per pixel: 1 (matte or grey), 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  /** `width * height * channels` samples. */
  readonly data: T;
}

/** 8-bit sRGB image, values 0–255. */
export type Image8 = ImageBuffer<Uint8Array>;

/** Float image, values in [0, 1]. */
export type FloatImage = ImageBuffer<Float32Array>;

/** One-channel float coverage: 0 background, 1 foreground. */
export type AlphaMatte = FloatImage;

/** Builds the error every kernel precondition throws: `Expected <what> for <name> but received <actual>`. */
export function expectation(what: string, name: string, actual: unknown): string {
  const shown = typeof actual === 'string' ? actual : JSON.stringify(actual);
  return `Expected ${what} for ${name} but received ${shown}`;
}

/** Allocates a zeroed float image. */
export function createFloatImage(width: number, height: number, channels: number): FloatImage {
  assertDimensions(width, height, 'createFloatImage');
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

/** Throws `RangeError` unless width and height are positive integers. */
export function assertDimensions(width: number, height: number, name: string): void {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(expectation('positive integer width and height', name, `${width}×${height}`));
  }
}

/**
 * Throws unless `image` is a well-formed image, optionally with the given channel count and size.
 * @param name Name used in the error message (usually the parameter name).
 */
export function assertImage(
  image: ImageBuffer,
  name: string,
  expected: { channels?: number; width?: number; height?: number } = {},
): void {
  if (image === null || typeof image !== 'object' || !ArrayBuffer.isView(image.data)) {
    throw new TypeError(expectation('an image {width, height, channels, data}', name, typeof image));
  }
  assertDimensions(image.width, image.height, name);
  if (expected.channels !== undefined && image.channels !== expected.channels) {
    throw new RangeError(expectation(`${expected.channels} channel(s)`, name, image.channels));
  }
  if (expected.width !== undefined && (image.width !== expected.width || image.height !== expected.height)) {
    throw new RangeError(expectation(`a ${expected.width}×${expected.height} image`, name, `${image.width}×${image.height}`));
  }
  const length = image.width * image.height * image.channels;
  if (image.data.length !== length) {
    throw new RangeError(expectation(`${length} samples`, `${name}.data`, image.data.length));
  }
}

/** Converts an 8-bit image to a float image in [0, 1] (same channel count). */
export function toFloatImage(image: ImageBuffer, out?: FloatImage): FloatImage {
  assertImage(image, 'image');
  const result = out ?? createFloatImage(image.width, image.height, image.channels);
  assertImage(result, 'out', { channels: image.channels, width: image.width, height: image.height });
  const source = image.data;
  const target = result.data;
  if (source instanceof Float32Array) {
    target.set(source);
  } else {
    for (let index = 0; index < source.length; index++) target[index] = source[index]! / 255;
  }
  return result;
}

/** Converts a float image in [0, 1] to 8 bits with rounding and clamping. */
export function toImage8(image: FloatImage, out?: Image8): Image8 {
  assertImage(image, 'image');
  const result = out ?? { width: image.width, height: image.height, channels: image.channels, data: new Uint8Array(image.data.length) };
  const source = image.data;
  const target = result.data;
  for (let index = 0; index < source.length; index++) target[index] = byteLevel(source[index]! * 255);
  return result;
}

/**
 * A value on the 0–255 scale, rounded to nearest and clamped, as a `Uint8Array` store then truncates it to its byte:
 * the one rounding every 8-bit output uses (so `byteLevel(α·255) < 1` is exactly "written as 0", `≥ 255` "as 255").
 */
export function byteLevel(scaled: number): number {
  const rounded = scaled + 0.5;
  return rounded <= 0 ? 0 : rounded >= 255 ? 255 : rounded;
}

/** Copies one channel of an image into a one-channel float image in [0, 1]. */
export function extractChannel(image: ImageBuffer, channel: number): FloatImage {
  assertImage(image, 'image');
  if (!Number.isInteger(channel) || channel < 0 || channel >= image.channels) {
    throw new RangeError(expectation(`a channel index below ${image.channels}`, 'channel', channel));
  }
  const result = createFloatImage(image.width, image.height, 1);
  const scale = image.data instanceof Float32Array ? 1 : 1 / 255;
  for (let pixel = 0, source = channel; pixel < result.data.length; pixel++, source += image.channels) {
    result.data[pixel] = image.data[source]! * scale;
  }
  return result;
}
