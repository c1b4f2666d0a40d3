/**
 * What scrubbing and playback show over a clip frame before the refined preview arrives: the frame's proxy JPEG (the
 * one the viewer already shows) with the model's cached matte, resized to the proxy, as alpha. Only cached mattes
 * are used: a frame the background pass has not reached yet has no layer, and the model is never run for one.
 */
import sharp from 'sharp';
import type { MatteProvenance } from '../../shared/contract/studioContract';
import { ByteLru } from '../matteCache/byteLru';
import { proxySide, type FrameImages } from './frameImages';
import type { StudioItem } from './itemRegistry';
import { matteKeyOf, provenanceOf, type MatteCache } from '../matteCache/matteCache';
import { draftInputSide } from '../inference/inferenceQuality';

/** One scrub layer: `width × height × 4` bytes, straight colour with the matte as alpha. */
export interface ScrubLayer {
  width: number;
  height: number;
  rgba: Uint8Array;
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
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = info;
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
    if (!cached || cached.alpha.length !== width * height) return undefined;
    const { alpha } = cached;
    const rgba = new Uint8Array(width * height * 4);
    for (let pixel = 0, source = 0; pixel < alpha.length; pixel++, source += 3) {
      rgba[pixel * 4] = data[source]!;
      rgba[pixel * 4 + 1] = data[source + 1]!;
      rgba[pixel * 4 + 2] = data[source + 2]!;
      rgba[pixel * 4 + 3] = alpha[pixel]!;
    }
    return { width, height, rgba, provenance: cached.provenance };
  }

  /** Drops the resized mattes of an item. */
  forget(itemId: string): void {
    this.alphas.deleteWhere((key) => key.startsWith(`${itemId}\n`));
  }
}
