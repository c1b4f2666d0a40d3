/**
 * What scrubbing and playback show over a clip frame before the refined preview arrives: the frame's proxy JPEG (the
 * one the viewer already shows) and the model's cached matte resized to the proxy, one byte per pixel. The renderer
 * decodes the JPEG and lays the matte in as alpha itself: the engine only looks both up, so a layer costs it next to
 * nothing (playback asks for thirty a second on the cores the model is using), and the layer travels at a quarter of
 * the RGBA bytes. The resized mattes are made as the background pass stores each frame's matte ({@link prepare}) and
 * kept in memory and on disk (`scrubAlphaCache.ts`), so playing a clip the pass has finished, also after a restart,
 * never inflates and resizes the model's full mattes. Only cached mattes are used: a frame the background pass has
 * not reached yet has no layer, and the model is never run for one.
 */
import sharp from 'sharp';
import { toImage8 } from '../../core/imageTypes';
import type { MatteProvenance } from '../../shared/contract/studioContract';
import { ByteLru } from '../matteCache/byteLru';
import { proxySide, type FrameImages } from './frameImages';
import type { StudioItem } from './itemRegistry';
import { inputSideOf, matteKeyOf, provenanceOf, type MatteCache } from '../matteCache/matteCache';
import type { ScrubAlpha, ScrubAlphaCache } from '../matteCache/scrubAlphaCache';
import type { TieredMatte } from '../pipeline/computeMatte';
import type { InferenceQuality } from '../inference/inferenceQuality';
import { proxySize } from '../media/decodeFrames';

/** One scrub layer: the proxy frame as JPEG (`width × height`) and its matte, `width × height` bytes. */
export interface ScrubLayer {
  width: number;
  height: number;
  jpeg: Buffer;
  alpha: Uint8Array;
  /** Which model made the matte. */
  provenance: MatteProvenance;
}

/** Options of {@link ScrubLayers}. */
export interface ScrubLayersOptions {
  /** The resized mattes on disk; absent: memory only. */
  disk?: ScrubAlphaCache;
  /** Bytes of resized mattes kept in memory. @default 64 MiB */
  budgetBytes?: number;
  /** Hears failures of background preparation, for the log. */
  onError?: (error: unknown) => void;
}

/** The clip's proxy frame size (as `FrameImages` decodes it). */
function proxySizeOf(item: StudioItem): { width: number; height: number } {
  return proxySize(item.media?.displayWidth ?? item.info.width, item.media?.displayHeight ?? item.info.height, proxySide);
}

/** Makes scrub layers; keeps the resized mattes so playback repeats cheaply. */
export class ScrubLayers {
  private readonly alphas: ByteLru<string, ScrubAlpha>;

  constructor(
    private readonly frames: FrameImages,
    private readonly mattes: MatteCache,
    private readonly options: ScrubLayersOptions = {},
  ) {
    this.alphas = new ByteLru(options.budgetBytes ?? 64 * 1024 * 1024);
  }

  /**
   * The layer of a clip frame with the item's chosen model, or undefined while that frame has no cached matte. The
   * full-quality matte is used where the background pass has reached it, else its draft.
   */
  async render(item: StudioItem, frameIndex: number): Promise<ScrubLayer | undefined> {
    const modelKey = await this.mattes.modelKey(this.mattes.modelFor(item.info.id));
    const scrub = (await this.alphaOf(item, frameIndex, modelKey, 'full')) ?? (await this.alphaOf(item, frameIndex, modelKey, 'draft'));
    if (!scrub) return undefined;
    const jpeg = await this.frames.frame(item, frameIndex, proxySide);
    const { width = 0, height = 0 } = await sharp(jpeg).metadata();
    if (width * height === 0) return undefined;
    // Both sizes come from `proxySize` over the same clip facts; should a frame still differ, its matte is fitted to it.
    const alpha = width === scrub.width && height === scrub.height ? scrub.alpha : await resizeAlpha(scrub.alpha, scrub, { width, height });
    return { width, height, jpeg, alpha, provenance: scrub.provenance };
  }

  /**
   * Resizes a matte the background pass just stored and keeps it (memory and disk), so the frame's layer is ready
   * before playback asks. Failures only mean the layer is made when asked for.
   */
  async prepare(item: StudioItem, frameIndex: number, modelKey: string, tiered: TieredMatte, quality: InferenceQuality): Promise<void> {
    const key = this.keyOf(item, frameIndex, modelKey, quality);
    if (this.alphas.get(key)) return;
    try {
      const scrub = await resizeToProxy(tiered, proxySizeOf(item));
      this.keep(key, scrub);
      await this.options.disk?.set(key, scrub);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Makes the frame's resized matte (from its cached model matte) unless memory or disk has it already. */
  async ensure(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality): Promise<void> {
    const key = this.keyOf(item, frameIndex, modelKey, quality);
    if (this.alphas.get(key) || (await this.options.disk?.has(key))) return;
    try {
      await this.alphaOf(item, frameIndex, modelKey, quality, { waitForDisk: true });
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Drops the resized mattes of an item from memory (those on disk are keyed by the file's stamp). */
  forget(itemId: string): void {
    this.alphas.deleteWhere((key) => key.startsWith(`${itemId}\n`));
  }

  /** The frame's resized matte at one quality: from memory, disk, or made from the cached model matte. */
  private async alphaOf(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality, options: { waitForDisk?: boolean } = {}): Promise<ScrubAlpha | undefined> {
    const key = this.keyOf(item, frameIndex, modelKey, quality);
    const inMemory = this.alphas.get(key);
    if (inMemory) return inMemory;
    const onDisk = await this.options.disk?.get(key);
    if (onDisk) {
      this.keep(key, onDisk);
      return onDisk;
    }
    const tiered = await this.mattes.peek(item, frameIndex, modelKey, quality);
    if (!tiered) return undefined;
    const scrub = await resizeToProxy(tiered, proxySizeOf(item));
    this.keep(key, scrub);
    const written = this.options.disk?.set(key, scrub);
    if (options.waitForDisk) await written;
    return scrub;
  }

  private keep(key: string, scrub: ScrubAlpha): void {
    this.alphas.set(key, scrub, scrub.alpha.byteLength);
  }

  /** The item id (for forget), then the model matte's own key and the proxy size. */
  private keyOf(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality): string {
    const { width, height } = proxySizeOf(item);
    return `${item.info.id}\n${matteKeyOf(item, frameIndex, modelKey, inputSideOf(quality))}\n${width}x${height}`;
  }
}

/** The model's matte (it covers the whole frame at the model's input size, stretched) resized the same way back. */
async function resizeToProxy(tiered: TieredMatte, size: { width: number; height: number }): Promise<ScrubAlpha> {
  const { matte } = tiered;
  return { ...size, alpha: await resizeAlpha(toImage8(matte).data, matte, size), provenance: provenanceOf(tiered) };
}

/** One byte per pixel, stretched from `from` to `to`. */
async function resizeAlpha(alpha: Uint8Array, from: { width: number; height: number }, to: { width: number; height: number }): Promise<Uint8Array> {
  const resized = await sharp(Buffer.from(alpha.buffer, alpha.byteOffset, alpha.byteLength), { raw: { width: from.width, height: from.height, channels: 1 } })
    .resize(to.width, to.height, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
}
