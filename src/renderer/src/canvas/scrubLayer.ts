/**
 * Loads a clip frame's scrub layer (`/media/scrub/…`): the proxy frame with the engine's cached matte as alpha, shown
 * while scrubbing and playing before the refined preview of the frame arrives. Unrefined (no colour estimation, spill
 * or feather), but it is the frame's real matte.
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
}

/** The layer, or null when the engine has no cached matte for the frame (or sent something malformed). */
export async function loadScrubLayer(itemId: string, frameIndex: number, toMediaUrl: (path: string) => string, signal: AbortSignal): Promise<ScrubLayerData | null> {
  const response = await fetch(toMediaUrl(scrubLayerPath(itemId, frameIndex)), { signal, cache: 'no-store' });
  if (!response.ok) return null;
  const width = Number(response.headers.get('X-Width'));
  const height = Number(response.headers.get('X-Height'));
  const cutout = new Uint8Array(await response.arrayBuffer());
  if (!(width > 0 && height > 0) || cutout.length !== width * height * 4) return null;
  const original = new Uint8Array(cutout);
  for (let offset = 3; offset < original.length; offset += 4) original[offset] = 255;
  const tier = Number(response.headers.get('X-Matte-Tier'));
  const provenance: MatteProvenance = {
    tier: tier === 1 || tier === 2 || tier === 3 ? tier : 3,
    model: response.headers.get('X-Matte-Model') ?? '',
    ep: response.headers.get('X-Matte-Ep') ?? '',
    fallbackReasons: [],
    quality: response.headers.get('X-Matte-Quality') === 'draft' ? 'draft' : 'full',
  };
  return { width, height, cutout, original, heatmap: new Uint8Array(width * height), provenance };
}
