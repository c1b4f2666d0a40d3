/**
 * Loads a clip frame's scrub layer (`/media/scrub/…`), shown while scrubbing and playing before the refined preview
 * of the frame arrives: the engine sends the proxy frame's JPEG and the cached matte at that size; the decoder
 * (`scrubLayerDecoder.ts`) decodes the JPEG and lays the matte in as alpha off the page's thread. Unrefined (no colour
 * estimation, spill or feather), but it is the frame's real matte.
 */
import { scrubLayerPath } from '../../../shared/contract/mediaPaths';
import type { MatteProvenance } from '../../../shared/contract/studioContract';
import type { ScrubLayerDecoder } from './scrubLayerDecoder';
import { isWholeScrubBody } from './scrubLayerPixels';

/** A scrub layer as the compositor takes it. */
export interface ScrubLayerData {
  readonly width: number;
  readonly height: number;
  readonly cutout: Uint8Array;
  readonly heatmap: Uint8Array;
  readonly provenance: MatteProvenance;
  /** The decoded proxy frame (left open: the media layer may show it; the garbage collector frees it). */
  readonly picture: ImageBitmap;
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
export async function loadScrubLayer(itemId: string, frameIndex: number, toMediaUrl: (path: string) => string, signal: AbortSignal, decoder: ScrubLayerDecoder): Promise<ScrubLayerData | null> {
  const response = await fetch(toMediaUrl(scrubLayerPath(itemId, frameIndex)), { signal, cache: 'no-store' });
  if (!response.ok) return null;
  const shape = { width: Number(response.headers.get('X-Width')), height: Number(response.headers.get('X-Height')), jpegBytes: Number(response.headers.get('X-Jpeg-Bytes')) };
  const body = new Uint8Array(await response.arrayBuffer());
  if (!isWholeScrubBody(shape, body.length)) return null;
  const pixels = await decoder.decode(body, shape, signal);
  if (!pixels) return null;
  const { width, height } = shape;
  return { width, height, ...pixels, heatmap: new Uint8Array(width * height), provenance: provenanceOf(response.headers) };
}
