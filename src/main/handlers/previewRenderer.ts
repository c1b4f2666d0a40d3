/**
 * Display-size previews for the studio's sliders: the picture downscaled once per size, the cached low-resolution
 * matte, and refinement in the worker pool. The layers wait in a byte-bounded store under a fresh id until the
 * renderer fetches them through the media routes.
 *
 * The returned alpha is the engine's, WITHOUT the add/subtract hand edits: the renderer composes the artist's strokes
 * (saved and still unsaved) on top itself, so a stroke never waits for the engine. The Refine Edge marks the engine
 * holds are the exception: re-solving alpha needs the picture, so they are applied here, at the preview's size.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Image8, ImageBuffer } from '../../core/imageTypes';
import { previewLayerPath } from '../../shared/contract/mediaPaths';
import type { Preview } from '../../shared/contract/studioContract';
import { isStudioError, throwIfCancelled } from '../../shared/errors';
import type { RefinementSettings } from '../../shared/settings';
import { ByteLru } from '../matteCache/byteLru';
import type { StudioItem } from './itemRegistry';
import { provenanceOf, type MatteCache } from '../matteCache/matteCache';
import type { KernelRunner } from '../kernels/kernelWorkers';
import type { SourceFrames } from './sourceFrames';

/** The layers of one preview, raw and row-major. */
export interface PreviewLayers {
  width: number;
  height: number;
  /** `width × height × 4`: straight colour with the engine's alpha. */
  cutout: Uint8Array;
  /** `width × height`: spill heat 0–255. */
  heatmap: Uint8Array;
}

/**
 * The preview layer names of the media route. The picture itself is not one: the studio shows the frame's own picture
 * under the cut-out, and sending it again at the preview's size cost the first preview of a 1080p still about 0.1 s.
 */
export const previewLayerNames = ['cutout', 'heatmap'] as const;

interface PreviewBase {
  image: Image8;
  /** Cartoon detection, made once per picture and size rather than on every slider tick. */
  isCartoon: boolean;
  cartoonScore: number;
}

/** What one preview request asks for. */
export interface PreviewRequest {
  item: StudioItem;
  frameIndex: number;
  settings: RefinementSettings;
  maxSide: number;
  modelId?: string;
  signal?: AbortSignal;
}

/** A frame's Refine Edge marks at a given size (1-channel, non-zero = marked), or undefined when it has none. */
export type RefineEdgeMaskLookup = (itemId: string, frameIndex: number, width: number, height: number) => ImageBuffer<Uint8Array> | undefined;

/** Renders previews and keeps their layers until they are fetched (or pushed out by newer ones). */
export class PreviewRenderer {
  private readonly layers: ByteLru<string, PreviewLayers>;
  private readonly bases: ByteLru<string, PreviewBase>;
  /**
   * Downscaled pictures being made, by key: a request arriving meanwhile (the draft prepared while the pointer reached
   * a slider, then the slider's first tick) waits for the same one instead of decoding and detecting a second time.
   */
  private readonly pendingBases = new Map<string, Promise<PreviewBase>>();

  /**
   * @param budgetBytes Bytes of finished preview layers kept. @default 256 MiB
   * @param baseBudgetBytes Bytes of downscaled pictures kept (one per item, frame and size). @default 96 MiB
   * @param refineEdgeMaskFor The Refine Edge marks of a frame (the studio's hand-edit store); none when absent.
   */
  constructor(
    private readonly sources: SourceFrames,
    private readonly mattes: MatteCache,
    private readonly pool: KernelRunner,
    budgetBytes = 256 * 1024 * 1024,
    baseBudgetBytes = 96 * 1024 * 1024,
    private readonly refineEdgeMaskFor: RefineEdgeMaskLookup = () => undefined,
  ) {
    this.layers = new ByteLru(budgetBytes);
    this.bases = new ByteLru(baseBudgetBytes);
  }

  /** A stored preview's layers, or undefined when the id is unknown or was pushed out. */
  find(previewId: string): PreviewLayers | undefined {
    return this.layers.get(previewId);
  }

  /** How many previews are stored (tests check that a cancelled preview stored nothing). */
  get storedCount(): number {
    return this.layers.size;
  }

  /** Renders one preview; rejects with `CANCELLED` as soon as `signal` fires. */
  async render(request: PreviewRequest): Promise<Preview> {
    const { item, frameIndex, signal } = request;
    const modelId = this.mattes.modelFor(item.info.id, request.modelId);
    const tiered = await this.mattes.get(item, frameIndex, modelId, { signal });
    throwIfCancelled(signal, 'The preview');
    const base = await this.base(item, frameIndex, request.maxSide, signal);
    throwIfCancelled(signal, 'The preview');
    const scale = base.image.width / item.info.width;
    const refineEdgeMask = this.refineEdgeMaskFor(item.info.id, frameIndex, base.image.width, base.image.height);
    const result = await this.pool.run({ image: base.image, matte: tiered.matte, settings: scaleSettings(request.settings, scale), output: 'preview', isCartoonDetected: base.isCartoon, cartoonScore: base.cartoonScore, refineEdgeMask }, signal);
    throwIfCancelled(signal, 'The preview');
    const { width, height } = base.image;
    const layers: PreviewLayers = { width, height, cutout: result.pixels, heatmap: result.heatmap ?? new Uint8Array(width * height) };
    const previewId = randomUUID();
    this.layers.set(previewId, layers, layers.cutout.byteLength + layers.heatmap.byteLength);
    return {
      width,
      height,
      cutoutUrl: previewLayerPath(previewId, 'cutout'),
      spillHeatmapUrl: previewLayerPath(previewId, 'heatmap'),
      isCartoon: result.isCartoon,
      provenance: provenanceOf(tiered),
    };
  }

  /** Drops the downscaled pictures of an item (its file changed). */
  forget(itemId: string): void {
    this.bases.deleteWhere((key) => key.startsWith(`${itemId}:`));
    // One being made from the old file is not kept either (see base).
    for (const key of [...this.pendingBases.keys()]) if (key.startsWith(`${itemId}:`)) this.pendingBases.delete(key);
  }

  private async base(item: StudioItem, frameIndex: number, maxSide: number, signal?: AbortSignal): Promise<PreviewBase> {
    const key = `${item.info.id}:${frameIndex}:${maxSide}`;
    for (;;) {
      const cached = this.bases.get(key);
      if (cached) return cached;
      let pending = this.pendingBases.get(key);
      if (!pending) {
        const made: Promise<PreviewBase> = this.makeBase(item, frameIndex, maxSide, signal)
          .then((base) => {
            // Kept unless the item's file changed meanwhile (forget dropped this one).
            if (this.pendingBases.get(key) === made) this.bases.set(key, base, base.image.data.byteLength);
            return base;
          })
          .finally(() => {
            if (this.pendingBases.get(key) === made) this.pendingBases.delete(key);
          });
        this.pendingBases.set(key, made);
        pending = made;
      }
      try {
        return await pending;
      } catch (error) {
        // The request that was making it was cancelled, not this one: make it here.
        if (signal?.aborted || !isStudioError(error, 'CANCELLED')) throw error;
      }
    }
  }

  private async makeBase(item: StudioItem, frameIndex: number, maxSide: number, signal?: AbortSignal): Promise<PreviewBase> {
    const full = await this.sources.get(item, frameIndex, signal);
    const image = await downscale(full, maxSide);
    // Detected once per preview picture, in the kernel worker (a full-picture JS kernel would stall the host thread).
    const detection = await this.pool.runKernel({ task: 'detectCartoon', image }, signal);
    return { image, isCartoon: detection.isCartoon, cartoonScore: detection.score };
  }
}

/**
 * Settings are in picture pixels; a preview at a fraction of the size gets them scaled, so feather, edge shift,
 * smoothing and the colour window look as they will in the export.
 */
export function scaleSettings(settings: RefinementSettings, scale: number): RefinementSettings {
  if (scale === 1) return settings;
  return {
    ...settings,
    radiusPx: settings.radiusPx > 0 ? Math.max(1, Math.round(settings.radiusPx * scale)) : 0,
    edgeRadiusPx: settings.edgeRadiusPx > 0 ? Math.max(1, Math.round(settings.edgeRadiusPx * scale)) : 0,
    featherPx: settings.featherPx * scale,
    shiftEdgePx: settings.shiftEdgePx * scale,
    smoothPx: settings.smoothPx * scale,
  };
}

/** The picture with its long side at most `maxSide` (never enlarged), resized with sharp. */
async function downscale(image: Image8, maxSide: number): Promise<Image8> {
  if (Math.max(image.width, image.height) <= maxSide) return image;
  const { data, info } = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
