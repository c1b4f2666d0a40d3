/**
 * A scrub layer's pixels from the engine's response body (the proxy frame's JPEG followed by its 1-byte matte): the
 * JPEG decoded with `createImageBitmap`, read back through an offscreen canvas, and the matte laid in as alpha. It
 * uses only what a worker has too, so the scrub-layer worker (`scrubLayerWorker.ts`) runs it, and the page runs it
 * itself where no worker can be started.
 */

/** The decoded layer: the frame's RGBA pixels with the matte as alpha, and the decoded picture. */
export interface ScrubLayerPixels {
  readonly cutout: Uint8Array;
  readonly picture: ImageBitmap;
}

/** How the body is laid out: `jpegBytes` of JPEG, then `width × height` matte bytes. */
export interface ScrubLayerShape {
  readonly width: number;
  readonly height: number;
  readonly jpegBytes: number;
}

/** True when a body of `bodyBytes` bytes holds what `shape` announces. */
export function isWholeScrubBody(shape: ScrubLayerShape, bodyBytes: number): boolean {
  const { width, height, jpegBytes } = shape;
  return Number.isInteger(width) && Number.isInteger(height) && Number.isInteger(jpegBytes) && width > 0 && height > 0 && jpegBytes > 0 && bodyBytes === jpegBytes + width * height;
}

/** Lays `matte` (one byte per pixel, from `matteOffset` on) into `rgba`'s alpha, in place; returns `rgba`. */
export function layMatteAsAlpha(rgba: Uint8Array, matte: Uint8Array, matteOffset: number): Uint8Array {
  const pixels = rgba.length / 4;
  for (let pixel = 0, offset = matteOffset; pixel < pixels; pixel++, offset++) rgba[pixel * 4 + 3] = matte[offset]!;
  return rgba;
}

/** The one canvas frames are read back through in this thread (read often: kept on the CPU). */
let readBack: OffscreenCanvasRenderingContext2D | null = null;

/** The picture's pixels, `width × height × 4`. */
function pixelsOf(bitmap: ImageBitmap, width: number, height: number): Uint8Array {
  if (!readBack || readBack.canvas.width !== width || readBack.canvas.height !== height) {
    readBack = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!readBack) throw new Error('no 2D canvas');
  }
  readBack.drawImage(bitmap, 0, 0);
  const { data } = readBack.getImageData(0, 0, width, height);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The layer's pixels, or null when the body is malformed (a JPEG that does not decode, or not at the announced size). */
export async function decodeScrubLayerPixels(body: Uint8Array<ArrayBuffer>, shape: ScrubLayerShape): Promise<ScrubLayerPixels | null> {
  if (!isWholeScrubBody(shape, body.length)) return null;
  const { width, height, jpegBytes } = shape;
  const picture = await createImageBitmap(new Blob([body.subarray(0, jpegBytes)], { type: 'image/jpeg' })).catch(() => null);
  if (!picture) return null;
  if (picture.width !== width || picture.height !== height) {
    picture.close();
    return null;
  }
  return { cutout: layMatteAsAlpha(pixelsOf(picture, width, height), body, jpegBytes), picture };
}
