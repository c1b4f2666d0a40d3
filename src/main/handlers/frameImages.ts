/**
 * JPEG pictures for the library grid and the viewer: thumbnails, stills at a requested size, and clip frames for
 * scrubbing. A clip's frames are decoded once, in the background, at proxy size into JPEG buffers, so scrubbing to
 * a decoded frame costs a map lookup; a frame the background pass has not reached yet is decoded on demand.
 */
import sharp from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import { decodeFrames } from '../media/decodeFrames';
import { SharedWork } from './abortable';
import { ByteLru } from '../matteCache/byteLru';
import type { StudioItem } from './itemRegistry';
import { checkFrameIndex, decodeClipFrame } from './sourceFrames';

/** Long side of the background clip proxies. */
export const proxySide = 640;
/** Long side of thumbnails. */
export const thumbnailSide = 256;

interface ClipProxy {
  frames: Array<Buffer | undefined>;
  bytes: number;
  controller: AbortController;
}

/** Options of {@link FrameImages}. */
export interface FrameImagesOptions {
  /** Bytes of clip proxy frames kept, over all clips (least recently scrubbed clips go first). @default 256 MiB */
  proxyBudgetBytes?: number;
  /** Hears background decode failures, for the log (scrubbing falls back to on-demand decoding). */
  onError?: (error: unknown) => void;
}

/** Makes and caches the JPEGs the media routes serve. */
export class FrameImages {
  private readonly thumbnails = new ByteLru<string, Buffer>(32 * 1024 * 1024);
  private readonly pictures = new ByteLru<string, Buffer>(64 * 1024 * 1024);
  private readonly proxies: ByteLru<string, ClipProxy>;
  private readonly work = new SharedWork<Buffer>();
  /** Background decodes run one after another, so a folder of clips does not start a dozen ffmpegs. */
  private backgroundQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly lifetime: AbortSignal,
    private readonly options: FrameImagesOptions = {},
  ) {
    this.proxies = new ByteLru(options.proxyBudgetBytes ?? 256 * 1024 * 1024, (_id, proxy) => proxy.controller.abort());
  }

  /** A JPEG of the item at most {@link thumbnailSide} pixels on its long side. */
  thumbnail(item: StudioItem): Promise<Buffer> {
    const id = item.info.id;
    const cached = this.thumbnails.get(id);
    if (cached) return Promise.resolve(cached);
    return this.work.run(`thumb:${id}`, async () => {
      const proxyFrame = this.proxies.get(id)?.frames[0];
      const jpeg =
        item.info.kind === 'image'
          ? await stillJpeg(item.info.path, thumbnailSide)
          : proxyFrame
            ? await resizeJpeg(proxyFrame, thumbnailSide)
            : await encodeJpeg(await decodeClipFrame(item, 0, this.lifetime, thumbnailSide));
      this.thumbnails.set(id, jpeg, jpeg.byteLength);
      return jpeg;
    });
  }

  /** A JPEG of frame `frameIndex` (stills: frame 0) at most `maxSide` pixels on its long side, never enlarged. */
  frame(item: StudioItem, frameIndex: number, maxSide: number): Promise<Buffer> {
    checkFrameIndex(item, frameIndex);
    const id = item.info.id;
    const longSide = Math.max(item.info.width, item.info.height);
    const side = Math.min(maxSide, longSide);
    const key = `${id}:${frameIndex}:${side}`;
    const proxyLongSide = Math.min(proxySide, longSide);
    if (item.info.kind === 'clip' && side === proxyLongSide) return this.proxyFrame(item, frameIndex);
    const cached = this.pictures.get(key);
    if (cached) return Promise.resolve(cached);
    return this.work.run(key, async () => {
      let jpeg: Buffer;
      if (item.info.kind === 'image') jpeg = await stillJpeg(item.info.path, side);
      else if (side < proxyLongSide) jpeg = await resizeJpeg(await this.proxyFrame(item, frameIndex), side);
      else jpeg = await encodeJpeg(await decodeClipFrame(item, frameIndex, this.lifetime, side), 85);
      this.pictures.set(key, jpeg, jpeg.byteLength);
      return jpeg;
    });
  }

  /** How many proxy frames of a clip are decoded and kept. */
  cachedFrameCount(itemId: string): number {
    return this.proxies.get(itemId)?.frames.filter(Boolean).length ?? 0;
  }

  /** Drops every picture of an item and stops its background decode. */
  forget(itemId: string): void {
    this.thumbnails.delete(itemId);
    this.pictures.deleteWhere((key) => key.startsWith(`${itemId}:`));
    this.proxies.delete(itemId);
  }

  /** Stops every background decode. */
  dispose(): void {
    this.proxies.clear();
  }

  /** A proxy-size frame: from the background pass when it got there, else decoded now (and kept). */
  private proxyFrame(item: StudioItem, frameIndex: number): Promise<Buffer> {
    const proxy = this.proxyOf(item);
    const ready = proxy.frames[frameIndex];
    if (ready) return Promise.resolve(ready);
    return this.work.run(`proxy:${item.info.id}:${frameIndex}`, async () => {
      const jpeg = await encodeJpeg(await decodeClipFrame(item, frameIndex, this.lifetime, proxySide));
      this.store(item.info.id, proxy, frameIndex, jpeg);
      return jpeg;
    });
  }

  private proxyOf(item: StudioItem): ClipProxy {
    const id = item.info.id;
    const existing = this.proxies.get(id);
    if (existing) return existing;
    const proxy: ClipProxy = { frames: new Array(item.info.frameCount ?? 1), bytes: 0, controller: new AbortController() };
    this.proxies.set(id, proxy, 0);
    this.backgroundQueue = this.backgroundQueue.then(() => this.decodeAll(item, proxy)).catch((error: unknown) => {
      if (!proxy.controller.signal.aborted && !this.lifetime.aborted) this.options.onError?.(error);
    });
    return proxy;
  }

  private async decodeAll(item: StudioItem, proxy: ClipProxy): Promise<void> {
    const signal = AbortSignal.any([proxy.controller.signal, this.lifetime]);
    if (signal.aborted) return;
    for await (const frame of decodeFrames(item.info.path, { info: item.media, maxSide: proxySide, signal })) {
      if (!proxy.frames[frame.index]) this.store(item.info.id, proxy, frame.index, await encodeJpeg(frame.image));
      if (signal.aborted) return;
    }
  }

  private store(id: string, proxy: ClipProxy, frameIndex: number, jpeg: Buffer): void {
    if (proxy.controller.signal.aborted) return; // evicted or forgotten meanwhile: do not bring it back
    proxy.bytes += jpeg.byteLength - (proxy.frames[frameIndex]?.byteLength ?? 0);
    proxy.frames[frameIndex] = jpeg;
    this.proxies.set(id, proxy, proxy.bytes);
  }
}

/** An upright still at most `side` pixels on its long side, transparency flattened over white (as matting sees it). */
function stillJpeg(path: string, side: number): Promise<Buffer> {
  return sharp(path)
    .autoOrient()
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: 85 })
    .toBuffer();
}

function resizeJpeg(jpeg: Buffer, side: number): Promise<Buffer> {
  return sharp(jpeg).resize(side, side, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
}

function encodeJpeg(image: Image8, quality = 80): Promise<Buffer> {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: image.channels as 3 } })
    .jpeg({ quality })
    .toBuffer();
}
