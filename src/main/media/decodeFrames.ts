/**
 * Streams decoded frames from ffmpeg through a pipe (`-f rawvideo pipe:1`), one exact frame-size chunk at a time,
 * with no temporary files. Frames come out upright (ffmpeg autorotates), on a constant-rate timeline at the clip's
 * nominal rate, and exactly `MediaInfo.frameCount` of them for a whole clip.
 */
import type { Readable } from 'node:stream';
import { resolve } from 'node:path';
import type { Image8 } from '../../core/imageTypes';
import { expectation } from '../../core/imageTypes';
import { StudioError, throwIfCancelled } from '../../shared/errors';
import { formatRational, probeMedia, type MediaInfo } from './probeMedia';
import { startFfmpeg } from './runFfmpeg';

/** Options for {@link decodeFrames}. */
export interface DecodeFramesOptions {
  /** Stops decoding; the iterator rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** First frame to yield, 0-based on the constant-rate timeline; the seek is frame-accurate. @default 0 */
  startFrame?: number;
  /** Most frames to yield. @default every frame from startFrame to the end */
  maxFrames?: number;
  /** Downscales so the longer side is at most this many pixels (proxies); never upscales. @default no scaling */
  maxSide?: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). @default 3 */
  channels?: 1 | 3 | 4;
  /** An earlier probe of the same file, to skip probing again. */
  info?: MediaInfo;
  /** Forces a video decoder, e.g. `libvpx-vp9`, whose alpha the native vp9 decoder would drop. */
  decoder?: string;
}

/** One decoded frame. */
export interface DecodedFrame {
  /** Frame index on the clip's constant-rate timeline (startFrame for the first frame yielded). */
  index: number;
  /** `index / fps`, in seconds. */
  timeSec: number;
  /**
   * The pixels. `data` may be a view into a larger pipe buffer (that is how a copy is avoided); copy it before
   * transferring `data.buffer` to a worker.
   */
  image: Image8;
}

const pixelFormats = { 1: 'gray', 3: 'rgb24', 4: 'rgba' } as const;

/** The size a proxy decode produces: the longer side at most `maxSide`, aspect kept, never upscaled. */
export function proxySize(width: number, height: number, maxSide?: number): { width: number; height: number } {
  if (maxSide === undefined || Math.max(width, height) <= maxSide) return { width, height };
  if (!Number.isInteger(maxSide) || maxSide < 2) throw new RangeError(expectation('an integer of at least 2', 'maxSide', maxSide));
  const scale = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Decodes frames of a clip as an async iterator. Breaking out of the loop stops ffmpeg.
 * @throws StudioError `DECODE_FAILED` when the clip is unreadable or ends far short of its frame count, `CANCELLED`.
 */
export async function* decodeFrames(path: string, options: DecodeFramesOptions = {}): AsyncGenerator<DecodedFrame, void, undefined> {
  const { signal } = options;
  const info = options.info ?? (await probeMedia(path, { signal }));
  const startFrame = options.startFrame ?? 0;
  if (!Number.isInteger(startFrame) || startFrame < 0 || startFrame >= info.frameCount) {
    throw new RangeError(expectation(`an integer frame index below ${info.frameCount}`, 'startFrame', startFrame));
  }
  const total = Math.min(info.frameCount - startFrame, options.maxFrames ?? Infinity);
  if (total <= 0) return;
  const channels = options.channels ?? 3;
  const size = proxySize(info.displayWidth, info.displayHeight, options.maxSide);
  const frameBytes = size.width * size.height * channels;
  const frameSec = info.fps.den / info.fps.num;

  const args: string[] = [];
  if (options.decoder) args.push('-c:v', options.decoder);
  // Input seeking decodes from the previous keyframe and drops earlier frames, so it is frame-accurate. Seeking half
  // a frame early keeps the wanted frame even when the decimal seek time rounds past its timestamp.
  if (startFrame > 0) args.push('-ss', ((startFrame - 0.5) * frameSec).toFixed(6));
  args.push('-i', resolve(path), '-map', `0:${info.videoStreamIndex}`, '-an', '-sn', '-dn');
  const filters: string[] = [];
  // Variable-rate clips are resampled onto the nominal timeline so every frame has the same duration downstream.
  if (info.isVariableFrameRate) filters.push(`fps=${formatRational(info.fps)}`);
  if (size.width !== info.displayWidth || size.height !== info.displayHeight) filters.push(`scale=${size.width}:${size.height}:flags=area`);
  if (filters.length > 0) args.push('-vf', filters.join(','));
  args.push('-fps_mode', 'passthrough', '-frames:v', String(total), '-f', 'rawvideo', '-pix_fmt', pixelFormats[channels], 'pipe:1');

  const process = await startFfmpeg(args, { signal, stdout: true, task: 'decode the clip' });
  const reader = new ExactReader(process.stdout!);
  let yielded = 0;
  let finished = false;
  try {
    let last: Uint8Array | undefined;
    while (yielded < total) {
      const chunk = await reader.read(frameBytes);
      if (!chunk) break;
      last = chunk;
      yield makeFrame(startFrame + yielded, chunk);
      yielded++;
    }
    reader.discard();
    await process.done;
    throwIfCancelled(signal);
    const shortfall = total - yielded;
    // Container frame counts and the decoder can disagree by a frame or two at the end (edit lists, a last frame with
    // no duration). Repeating the last frame keeps the promised count; a bigger gap means a damaged clip.
    if (shortfall > Math.max(2, Math.ceil(total * 0.01)) || !last) {
      throw new StudioError('DECODE_FAILED', `The clip ${info.path} ended early, after ${yielded} of ${total} frames.`);
    }
    for (; yielded < total; yielded++) yield makeFrame(startFrame + yielded, new Uint8Array(last));
    finished = true;
  } finally {
    if (!finished) {
      process.kill();
      await process.done.catch(() => {});
    }
  }

  function makeFrame(index: number, data: Uint8Array): DecodedFrame {
    return { index, timeSec: index * frameSec, image: { width: size.width, height: size.height, channels, data } };
  }
}

/**
 * Reads exact byte counts from a paused stream. `Readable.read(n)` returns the head chunk itself when it is exactly
 * `n` bytes, a slice when it is longer, and concatenates only when a frame spans several pipe chunks.
 */
class ExactReader {
  private waiter: (() => void) | undefined;
  private readonly wake = (): void => {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  };

  constructor(private readonly stream: Readable) {
    for (const event of ['readable', 'end', 'close', 'error']) stream.on(event, this.wake);
  }

  /** Throws away whatever else arrives, so the producer never blocks on a full pipe. */
  discard(): void {
    this.stream.off('readable', this.wake);
    this.stream.resume();
  }

  /** The next `size` bytes, or undefined when the stream ended (a trailing partial chunk is dropped). */
  async read(size: number): Promise<Buffer | undefined> {
    for (;;) {
      const chunk = this.stream.read(size) as Buffer | null;
      if (chunk !== null) return chunk.length === size ? chunk : undefined;
      if (this.stream.readableEnded || this.stream.destroyed) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}
