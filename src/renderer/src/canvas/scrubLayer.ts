/**
 * Loads a clip frame's scrub layer (`/media/scrub/…`), shown while scrubbing and playing before the refined preview
 * of the frame arrives: the engine sends the proxy frame's JPEG and the cached matte at that size; the JPEG is decoded
 * off the main thread (`createImageBitmap`) and the matte laid in as alpha here. Unrefined (no colour estimation,
 * spill or feather), but it is the frame's real matte.
 */
import { scrubLayerPath } from '../../../shared/contract/mediaPaths';
import type { MatteProvenance } from '../../../shared/contract/studioContract';

/** A scrub layer as the compositor takes it. */
export interface ScrubLayerData {
  readonly width: number;
  readonly height: number;
  readonly cutout: Uint8Array;
  readonly original: Uint8Array;
  readonly heatmap: Uint8Array;
  readonly provenance: MatteProvenance;
  /** The decoded proxy frame (left open: the media layer may show it; the garbage collector frees it). */
  readonly picture: ImageBitmap;
}

/** The one canvas frames are read back through (read often: kept on the CPU). */
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

/** What the response headers say the matte came from. */
function provenanceOf(headers: Headers): MatteProvenance {
  const tier = Number(headers.get('X-Matte-Tier'));
  return {
    tier: tier === 1 || tier === 2 || tier === 3 ? tier : 3,
    model: headers.get('X-Matte-Model') ?? '',
    ep: headers.get('X-Matte-Ep') ?? '',
    fallbackReasons: [],
    quality: headers.get('X-Matte-Quality') === 'draft' ? 'draft' : 'full',
  };
}

/** The layer, or null when the engine has no cached matte for the frame (or sent something malformed). */
export async function loadScrubLayer(itemId: string, frameIndex: number, toMediaUrl: (path: string) => string, signal: AbortSignal): Promise<ScrubLayerData | null> {
  const response = await fetch(toMediaUrl(scrubLayerPath(itemId, frameIndex)), { signal, cache: 'no-store' });
  if (!response.ok) return null;
  const width = Number(response.headers.get('X-Width'));
  const height = Number(response.headers.get('X-Height'));
  const jpegBytes = Number(response.headers.get('X-Jpeg-Bytes'));
  const body = new Uint8Array(await response.arrayBuffer());
  if (!(width > 0 && height > 0 && jpegBytes > 0) || body.length !== jpegBytes + width * height) return null;
  const bitmap = await createImageBitmap(new Blob([body.subarray(0, jpegBytes)], { type: 'image/jpeg' })).catch(() => null);
  if (!bitmap) return null;
  if (bitmap.width !== width || bitmap.height !== height || signal.aborted) {
    bitmap.close();
    return null;
  }
  const original = pixelsOf(bitmap, width, height);
  const cutout = new Uint8Array(original);
  for (let pixel = 0, offset = jpegBytes; pixel < width * height; pixel++, offset++) cutout[pixel * 4 + 3] = body[offset]!;
  return { width, height, cutout, original, heatmap: new Uint8Array(width * height), provenance: provenanceOf(response.headers), picture: bitmap };
}
