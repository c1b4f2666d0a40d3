/**
 * Grows an image to even width and height by repeating its last column and row. H.264 in 4:2:0 needs even sizes; a
 * clip composited over a picture must not get a black line there (ffmpeg's `pad` fills with one colour, and its
 * `fillborders` smear left the padded column black on our ffmpeg), so the frame is padded before it is encoded.
 */
import type { Image8 } from '../imageTypes';

/** The image itself when both sides are even, else a padded copy. */
export function padToEven(image: Image8): Image8 {
  const { width, height, channels } = image;
  const paddedWidth = width + (width % 2);
  const paddedHeight = height + (height % 2);
  if (paddedWidth === width && paddedHeight === height) return image;
  const data = new Uint8Array(paddedWidth * paddedHeight * channels);
  const rowBytes = width * channels;
  const paddedRowBytes = paddedWidth * channels;
  for (let y = 0; y < height; y++) {
    const from = y * rowBytes;
    const to = y * paddedRowBytes;
    data.set(image.data.subarray(from, from + rowBytes), to);
    // The last pixel again, in the extra column.
    if (paddedWidth !== width) data.copyWithin(to + rowBytes, to + rowBytes - channels, to + rowBytes);
  }
  if (paddedHeight !== height) data.copyWithin(height * paddedRowBytes, (height - 1) * paddedRowBytes, height * paddedRowBytes);
  return { width: paddedWidth, height: paddedHeight, channels, data };
}
