/** Fetches a preview's raw layers (see the contract's `previewSchema`) and checks their sizes. */
import type { Preview } from '../../../shared/contract/studioContract';
import { StudioError } from '../../../shared/errors';

/** The layers as bytes. */
export interface PreviewBytes {
  readonly cutout: Uint8Array;
  readonly heatmap: Uint8Array;
}

async function fetchBytes(url: string, expectedBytes: number, layer: string, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  if (!response.ok) throw new StudioError('INTERNAL', `The preview's ${layer} layer could not be loaded.`, `HTTP ${response.status} for ${layer}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== expectedBytes) {
    throw new StudioError('INTERNAL', `The preview's ${layer} layer had the wrong size.`, `Expected ${expectedBytes} bytes for ${layer} but received ${bytes.length}`);
  }
  return bytes;
}

/** Loads the layers of `preview` (the picture under them is the stage's media layer, not a preview layer). */
export async function loadPreviewBytes(preview: Preview, toMediaUrl: (path: string) => string, signal: AbortSignal): Promise<PreviewBytes> {
  const pixels = preview.width * preview.height;
  const [cutout, heatmap] = await Promise.all([
    fetchBytes(toMediaUrl(preview.cutoutUrl), pixels * 4, 'cut-out', signal),
    fetchBytes(toMediaUrl(preview.spillHeatmapUrl), pixels, 'heat map', signal),
  ]);
  return { cutout, heatmap };
}
