/**
 * Full-resolution pictures of items (a still, or one frame of a clip), decoded once and kept in a byte-bounded
 * cache: matting, previews and exports of the same picture all start from here.
 */
import type { Image8 } from '../../core/imageTypes';
import { StudioError } from '../../shared/errors';
import { decodeImage } from '../imageIo/decodeImage';
import { decodeFrames } from '../media/decodeFrames';
import { raceSignal, SharedWork } from './abortable';
import { ByteLru } from '../matteCache/byteLru';
import type { StudioItem } from './itemRegistry';

/** Throws `INVALID_INPUT` unless `frameIndex` exists in the item (stills have only frame 0). */
export function checkFrameIndex(item: StudioItem, frameIndex: number): void {
  const frameCount = item.info.kind === 'clip' ? item.info.frameCount ?? 1 : 1;
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= frameCount) {
    const range = frameCount === 1 ? 'only frame 0' : `frames 0 to ${frameCount - 1}`;
    throw new StudioError('INVALID_INPUT', `${item.info.name} has ${range}; frame ${frameIndex} does not exist.`);
  }
}

/** Decodes one frame of a clip at full size (upright, RGB), as a copy that owns its buffer. */
export async function decodeClipFrame(item: StudioItem, frameIndex: number, signal?: AbortSignal, maxSide?: number): Promise<Image8> {
  for await (const frame of decodeFrames(item.info.path, { info: item.media, startFrame: frameIndex, maxFrames: 1, maxSide, signal })) {
    return { ...frame.image, data: new Uint8Array(frame.image.data) };
  }
  throw new StudioError('DECODE_FAILED', `Frame ${frameIndex} of ${item.info.name} could not be decoded.`);
}

/** The decoded pictures cache. */
export class SourceFrames {
  private readonly cache: ByteLru<string, Image8>;
  private readonly work = new SharedWork<Image8>();

  /**
   * @param lifetime Aborts decodes still running when the studio closes.
   * @param budgetBytes Bytes of decoded pictures kept. @default 192 MiB
   */
  constructor(
    private readonly lifetime: AbortSignal,
    budgetBytes = 192 * 1024 * 1024,
  ) {
    this.cache = new ByteLru(budgetBytes);
  }

  /** The item's picture (frame `frameIndex` of a clip), upright 8-bit RGB at full size. */
  get(item: StudioItem, frameIndex: number, signal?: AbortSignal): Promise<Image8> {
    checkFrameIndex(item, frameIndex);
    const key = `${item.info.id}:${frameIndex}`;
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    const decoded = this.work.run(key, async () => {
      const image = item.info.kind === 'clip' ? await decodeClipFrame(item, frameIndex, this.lifetime) : (await decodeImage(item.info.path)).image;
      this.cache.set(key, image, image.data.byteLength);
      return image;
    });
    return raceSignal(decoded, signal, 'Reading the picture');
  }

  /** Drops every cached picture of an item. */
  forget(itemId: string): void {
    this.cache.deleteWhere((key) => key.startsWith(`${itemId}:`));
  }
}
