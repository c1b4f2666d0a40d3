import { assertImage, type ImageBuffer } from '../imageTypes';

/**
 * The unknown region of a trimap as a 0/1 mask, for restricting metrics as the matting benchmarks do (DIM,
 * alphamatting.com: only pixels marked unknown are scored). 8-bit trimaps mark unknown with values strictly between
 * 0 and 255 (usually 128); float trimaps with values strictly between 0 and 1.
 * @param trimap One-channel trimap, 8-bit or float.
 * @returns A one-channel 8-bit mask: 1 in the unknown region, 0 elsewhere.
 */
export function trimapUnknownRegion(trimap: ImageBuffer): ImageBuffer<Uint8Array> {
  assertImage(trimap, 'trimap', { channels: 1 });
  const full = trimap.data instanceof Float32Array ? 1 : 255;
  const data = new Uint8Array(trimap.data.length);
  for (let pixel = 0; pixel < data.length; pixel++) {
    const value = trimap.data[pixel]!;
    data[pixel] = value > 0 && value < full ? 1 : 0;
  }
  return { width: trimap.width, height: trimap.height, channels: 1, data };
}
