/**
 * What scrubbing and playback show over a clip frame before the refined preview arrives: the frame's proxy JPEG (the
 * one the viewer already shows) and the model's cached matte resized to the proxy, one byte per pixel. The renderer
 * decodes the JPEG and lays the matte in as alpha itself: the engine only looks both up, so a layer costs it next to
 * nothing once its matte was resized (playback asks for thirty a second on the cores the model is using), and the
 * layer travels at a quarter of the RGBA bytes. Only cached mattes are used: a frame the background pass has not
 * reached yet has no layer, and the model is never run for one.
 */
import sharp from 'sharp';
import type { MatteProvenance } from '../../shared/contract/studioContract';
import { ByteLru } from '../matteCache/byteLru';
import { proxySide, type FrameImages } from './frameImages';
import type { StudioItem } from './itemRegistry';
import { matteKeyOf, provenanceOf, type MatteCache } from '../matteCache/matteCache';
import { draftInputSide } from '../inference/inferenceQuality';

/** One scrub layer: the proxy frame as JPEG (`width × height`) and its matte, `width × height` bytes. */
export interface ScrubLayer {
  width: number;
  height: number;
  jpeg: Buffer;
  alpha: Uint8Array;
  /** Which model made the matte. */
  provenance: MatteProvenance;
}

interface CachedAlpha {
  alpha: Uint8Array;
  provenance: MatteProvenance;
}

/** Makes scrub layers; keeps the resized mattes (a byte each per proxy pixel) so playback repeats cheaply. */
export class ScrubLayers {
  private readonly alphas: ByteLru<string, CachedAlpha>;

  /** @param budgetBytes Bytes of proxy-size mattes kept. @default 64 MiB */
  constructor(
    private readonly frames: FrameImages,
    private readonly mattes: MatteCache,
    budgetBytes = 64 * 1024 * 1024,
  ) {
    this.alphas = new ByteLru(budgetBytes);
  }

  /**
   * The layer of a clip frame with the item's chosen model, or undefined while that frame has no cached matte. The
   * full-quality matte is used where the background pass has reached it, else its draft.
   */
  async render(item: StudioItem, frameIndex: number): Promise<ScrubLayer | undefined> {
    const modelKey = await this.mattes.modelKey(this.mattes.modelFor(item.info.id));
    const fullKey = `${item.info.id}\n${matteKeyOf(item, frameIndex, modelKey)}`;
    let key = fullKey;
    let cached = this.alphas.get(fullKey);
    let tiered = cached ? undefined : await this.mattes.peek(item, frameIndex, modelKey, 'full');
    if (!cached && !tiered) {
      key = `${item.info.id}\n${matteKeyOf(item, frameIndex, modelKey, draftInputSide)}`;
      cached = this.alphas.get(key);
      tiered = cached ? undefined : await this.mattes.peek(item, frameIndex, modelKey, 'draft');
    }
    if (!cached && !tiered) return undefined;
    const jpeg = await this.frames.frame(item, frameIndex, proxySide);
    const { width = 0, height = 0 } = await sharp(jpeg).metadata();
    if (!cached && tiered) {
      const { matte } = tiered;
      const bytes = new Uint8Array(matte.data.length);
      for (let index = 0; index < bytes.length; index++) bytes[index] = Math.round(Math.min(1, Math.max(0, matte.data[index]!)) * 255);
      // The model's matte covers the whole frame at the model's input size (stretched): resize it the same way back.
      const resized = await sharp(Buffer.from(bytes.buffer), { raw: { width: matte.width, height: matte.height, channels: 1 } })
        .resize(width, height, { fit: 'fill' })
        .extractChannel(0)
        .raw()
        .toBuffer();
      cached = { alpha: new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength), provenance: provenanceOf(tiered) };
      this.alphas.set(key, cached, cached.alpha.byteLength);
    }
    if (!cached || width * height === 0 || cached.alpha.length !== width * height) return undefined;
    return { width, height, jpeg, alpha: cached.alpha, provenance: cached.provenance };
  }

  /** Drops the resized mattes of an item. */
  forget(itemId: string): void {
    this.alphas.deleteWhere((key) => key.startsWith(`${itemId}\n`));
  }
}
