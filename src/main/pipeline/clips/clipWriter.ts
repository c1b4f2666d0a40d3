import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Image8 } from '../../../core/imageTypes';
import { padToEven } from '../../../core/filters/padToEven';
import { StudioError } from '../../../shared/errors';
import type { ProgressListener } from '../../../shared/jobs';
import { openVideoEncoder, type VideoFormat } from '../../media/encodeVideo';
import type { FrameSink } from '../../media/frameSink';
import { isSameFrameRate, type MediaInfo } from '../../media/probeMedia';
import { verifyAlphaVideo } from '../../media/verifyAlphaVideo';
import { openPngSequenceWriter } from '../../media/writePngSequence';
import { hasAlpha, type ClipFormat } from './clipFormats';
import type { ClipBackground } from './loadBackground';

/** A frame sink for one export format that can check its own result. */
export interface ClipWriter {
  readonly output: string;
  readonly hasAudio: boolean;
  write(frame: Image8): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
  /**
   * Reads the finished output back: frame count, fps and (for alpha formats) that alpha survived and matches the first
   * frame written. Returns whether alpha was verified; throws FFMPEG_FAILED (and removes the output) when it was not.
   */
  verify(signal?: AbortSignal): Promise<boolean>;
}

/** What {@link openClipWriter} needs. */
export interface ClipWriterOptions {
  output: string;
  /** False: never replace a file that appeared at `output` meanwhile. @default true */
  mayReplace?: boolean;
  format: ClipFormat;
  info: MediaInfo;
  frameCount: number;
  background: ClipBackground;
  signal?: AbortSignal;
  onEncoderProgress?: ProgressListener;
}

/** Opens the writer for a clip export: ffmpeg encoders for video formats, a PNG sequence for `png`. */
export async function openClipWriter(options: ClipWriterOptions): Promise<ClipWriter> {
  const { info, format, frameCount, signal } = options;
  // A composite over a picture is padded to even sizes here, by repeating its edge (the encoder would pad in one colour).
  const padsFrames = format === 'mp4' && options.background.kind === 'image';
  const width = padsFrames ? info.displayWidth + (info.displayWidth % 2) : info.displayWidth;
  const height = padsFrames ? info.displayHeight + (info.displayHeight % 2) : info.displayHeight;
  const sink: FrameSink & { output?: string; folder?: string; audio?: unknown } =
    format === 'png-sequence'
      ? await openPngSequenceWriter({ folder: options.output, width, height, frameCount, fps: info.fps, sampleAspectRatio: info.sampleAspectRatio, signal })
      : await openVideoEncoder({
          output: options.output,
          mayReplace: options.mayReplace,
          format: format as VideoFormat,
          width,
          height,
          fps: info.fps,
          sampleAspectRatio: info.sampleAspectRatio,
          audioSource: info.audio.length > 0 ? info.path : undefined,
          frameCount,
          background: options.background.kind === 'color' ? options.background.color : undefined,
          inputChannels: format === 'matte' ? 1 : 4,
          signal,
          onProgress: options.onEncoderProgress,
        });
  const output = sink.folder ?? sink.output ?? options.output;
  let firstFrame: Image8 | undefined;
  return {
    output,
    hasAudio: format !== 'png-sequence' && format !== 'matte' && Boolean(sink.audio),
    async write(frame) {
      firstFrame ??= { ...frame, data: frame.data.slice() };
      await sink.write(padsFrames ? padToEven(frame) : frame);
    },
    finish: () => sink.finish(),
    abort: () => sink.abort(),
    async verify(verifySignal) {
      const check = format === 'png-sequence' ? checkPngSequence(output, frameCount, firstFrame) : checkVideo(output, format, frameCount, info, firstFrame, verifySignal);
      // An output that cannot even be read back (truncated, empty) is no export either: it must not stay behind.
      const problem = await check.catch(async (error: unknown) => {
        if (!verifySignal?.aborted) await rm(output, { recursive: true, force: true });
        throw error;
      });
      if (problem) {
        await rm(output, { recursive: true, force: true });
        throw new StudioError('FFMPEG_FAILED', `The exported ${format} file failed its check and was removed: ${problem}.`);
      }
      return hasAlpha(format);
    },
  };
}

async function checkVideo(output: string, format: ClipFormat, frameCount: number, info: MediaInfo, firstFrame: Image8 | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const canCompare = firstFrame && format !== 'mp4';
  const verification = await verifyAlphaVideo(output, {
    signal,
    isMatte: format === 'matte',
    expected: canCompare ? { frameIndex: 0, image: firstFrame! } : undefined,
    // Lossy VP9 and 4:2:0 chroma move alpha a few levels; ProRes 4444 is near exact.
    tolerance: format.startsWith('webm') ? 6 : 4,
  });
  if (verification.frameCount !== frameCount) return `it has ${verification.frameCount} frames instead of ${frameCount}`;
  if (!isSameFrameRate(verification.fps, info.fps)) return `its frame rate changed`;
  if (hasAlpha(format) && !verification.alphaVerified) return verification.reason ?? 'its alpha channel did not survive';
  return undefined;
}

async function checkPngSequence(folder: string, frameCount: number, firstFrame: Image8 | undefined): Promise<string | undefined> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.png')).sort();
  if (files.length !== frameCount) return `it has ${files.length} frames instead of ${frameCount}`;
  if (files.length === 0) return undefined;
  const first = join(folder, files[0]!);
  if ((await stat(first)).size === 0) return 'its first frame is empty';
  const { data, info } = await sharp(first).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) return 'its frames have no alpha channel';
  if (firstFrame) {
    for (let index = 3; index < data.length; index += 4) if (data[index] !== firstFrame.data[index]) return 'its first frame does not match what was written';
  }
  return undefined;
}
