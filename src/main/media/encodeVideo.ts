/**
 * Encodes straight-alpha RGBA frames into the studio's export formats.
 *
 * | format        | video                                              | container | audio            |
 * |---------------|----------------------------------------------------|-----------|------------------|
 * | `prores`      | ProRes 4444 (prores_ks), yuva444p10le              | .mov      | AAC copied/encoded |
 * | `prores-fast` | ProRes 4444 (prores_aw, faster, larger), yuva444p10le | .mov   | AAC copied/encoded |
 * | `webm`        | VP9 yuva420p, `-deadline good -crf 30`             | .webm     | Opus             |
 * | `webm-fast`   | VP9 yuva420p, `-deadline realtime -cpu-used 8`     | .webm     | Opus             |
 * | `matte`       | the alpha as grey H.264 yuv420p, crf 12            | .mp4      | none             |
 * | `mp4`         | RGB composited over `background`, H.264 yuv420p    | .mp4      | AAC copied/encoded |
 *
 * The matte is H.264 rather than FFV1 because every editor and player opens it as a luma matte; at crf 12 the
 * round-trip error is about one level in 255, and chroma is constant so 4:2:0 costs nothing.
 * Colour is converted with the BT.709 matrix into limited range and tagged so, since swscale would otherwise use BT.601
 * untagged and HD footage would shift in hue in editors.
 */
import { resolve } from 'node:path';
import { assertDimensions, expectation } from '../../core/imageTypes';
import type { JobControl } from '../../shared/jobs';
import { openRawFrameSink, type FrameSink } from './frameSink';
import { prepareOutputFile } from './outputTarget';
import { formatRational, probeAudioStreams, sampleAspectRatioFilter, type AudioStreamInfo, type Rational } from './probeMedia';

/** Every export format {@link openVideoEncoder} writes. */
export const videoFormats = ['prores', 'prores-fast', 'webm', 'webm-fast', 'matte', 'mp4'] as const;

/** One of {@link videoFormats}. */
export type VideoFormat = (typeof videoFormats)[number];

/** Options for {@link openVideoEncoder}. */
export interface VideoEncoderOptions extends JobControl {
  /** Final output path; written to a temporary sibling and renamed when complete. */
  output: string;
  /** False: a file that appeared at `output` while encoding is kept, and the export fails with OUTPUT_EXISTS. @default true */
  mayReplace?: boolean;
  format: VideoFormat;
  /** Frame size in pixels. `mp4` and `matte` pad odd sizes to even on the right and bottom. */
  width: number;
  height: number;
  /** Exact frame rate, e.g. `{ num: 30000, den: 1001 }`. */
  fps: Rational;
  /** A media file whose first audio stream is added (ignored for `matte`). */
  audioSource?: string;
  /** Where in `audioSource` the exported range starts, in seconds. @default 0 */
  audioOffsetSec?: number;
  /** Frames that will be written: trims the audio to the video's length and drives progress. */
  frameCount?: number;
  /** `mp4` only: the colour seen through transparent pixels, `#rrggbb`. @default '#000000' */
  background?: string;
  /** `matte` only: 1 to send one-channel grey mattes instead of RGBA. @default 4 */
  inputChannels?: 1 | 4;
  /** Shape of a pixel, width : height, written into the file (anamorphic sources). @default 1/1 */
  sampleAspectRatio?: Rational;
}

/** A frame sink that writes a video file. */
export interface VideoEncoder extends FrameSink {
  /** Final absolute path. */
  readonly output: string;
  /** Size of the encoded video (differs from the input only where padding to even sizes applied). */
  readonly outputWidth: number;
  readonly outputHeight: number;
  /** The audio stream that is being added, if any. */
  readonly audio: AudioStreamInfo | undefined;
}

/** File extension for each format. */
export function extensionFor(format: VideoFormat): '.mov' | '.webm' | '.mp4' {
  return format.startsWith('prores') ? '.mov' : format.startsWith('webm') ? '.webm' : '.mp4';
}

const bt709Tags = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

/** Opens an encoder. Write frames with `write`, then call `finish` (or `abort`). */
export async function openVideoEncoder(options: VideoEncoderOptions): Promise<VideoEncoder> {
  const { format, width, height, fps } = options;
  if (!videoFormats.includes(format)) throw new RangeError(expectation(`one of ${videoFormats.join(', ')}`, 'format', format));
  assertDimensions(width, height, 'openVideoEncoder');
  if (!Number.isInteger(fps.num) || !Number.isInteger(fps.den) || fps.num <= 0 || fps.den <= 0) {
    throw new RangeError(expectation('a positive integer fraction', 'fps', fps));
  }
  const channels = options.inputChannels ?? 4;
  if (channels === 1 && format !== 'matte') throw new RangeError(expectation('4 for a colour format', 'inputChannels', channels));
  const background = options.background ?? '#000000';
  if (!/^#[0-9a-f]{6}$/i.test(background)) throw new RangeError(expectation('a #rrggbb colour', 'background', background));

  const audio = format === 'matte' || !options.audioSource ? undefined : (await probeAudioStreams(options.audioSource, options))[0];
  const target = await prepareOutputFile(options.output, { mayReplace: options.mayReplace });
  const isEvenOnly = format === 'mp4' || format === 'matte';
  const outputWidth = isEvenOnly ? width + (width % 2) : width;
  const outputHeight = isEvenOnly ? height + (height % 2) : height;

  const args: string[] = [];
  if (audio) {
    if (options.audioOffsetSec) args.push('-ss', options.audioOffsetSec.toFixed(6));
    // Trimming the audio input keeps the video's exact frame count; -shortest could instead cut the last video frames.
    if (options.frameCount) args.push('-t', ((options.frameCount * fps.den) / fps.num).toFixed(6));
    args.push('-i', resolve(options.audioSource!));
  }
  const pad = `pad=${outputWidth}:${outputHeight}:0:0:color=${format === 'mp4' ? background : 'black'}`;
  // Every chain ends in YUV with the pixel shape stated, so an anamorphic source stays unsqueezed in an editor.
  const setSar = sampleAspectRatioFilter(options.sampleAspectRatio);
  const sar = setSar ? `,${setSar}` : '';
  const toYuv = (pixelFormat: string): string => `scale=out_color_matrix=bt709:out_range=tv,format=${pixelFormat}${sar}`;
  switch (format) {
    case 'prores':
    case 'prores-fast':
      args.push('-map', '0:v:0', '-vf', toYuv('yuva444p10le'));
      args.push(...(format === 'prores' ? ['-c:v', 'prores_ks', '-profile:v', '4444', '-vendor', 'apl0'] : ['-c:v', 'prores_aw', '-profile:v', '4']));
      args.push('-pix_fmt', 'yuva444p10le');
      break;
    case 'webm':
    case 'webm-fast':
      args.push('-map', '0:v:0', '-vf', toYuv('yuva420p'), '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-b:v', '0', '-crf', '30', '-row-mt', '1');
      args.push(...(format === 'webm' ? ['-deadline', 'good'] : ['-deadline', 'realtime', '-cpu-used', '8']));
      break;
    case 'matte': {
      const grey = channels === 4 ? 'alphaextract,' : '';
      // The alpha is full range (0–255); say so, or swscale would copy it unscaled into a limited-range file.
      args.push('-map', '0:v:0', '-vf', `${grey}${pad},scale=in_range=full:out_range=tv:out_color_matrix=bt709,format=yuv420p${sar}`);
      args.push('-c:v', 'libx264', '-preset', 'medium', '-crf', '12', '-pix_fmt', 'yuv420p');
      break;
    }
    case 'mp4': {
      // Straight alpha composited over a solid colour in RGB (overlay's gbrp path), then converted once to YUV.
      const color = `color=c=0x${background.slice(1)}:s=${width}x${height}:r=${formatRational(fps)}`;
      args.push('-filter_complex', `${color}[bg];[bg][0:v]overlay=shortest=1:format=rgb,${pad},${toYuv('yuv420p')}[v]`, '-map', '[v]');
      args.push('-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p');
      break;
    }
  }
  args.push(...bt709Tags, '-r', formatRational(fps));
  if (audio) {
    args.push('-map', `1:${audio.index}`, ...audioCodecArgs(format, audio));
  }
  const muxer = format.startsWith('prores') ? 'mov' : format.startsWith('webm') ? 'webm' : 'mp4';
  // faststart rewrites the file in a second pass, which a device target such as /dev/null cannot do.
  if (muxer === 'mp4' && !target.isDirect) args.push('-movflags', '+faststart');
  args.push('-f', muxer, target.tempPath);

  const sink = await openRawFrameSink({
    width,
    height,
    channels,
    fps,
    frameCount: options.frameCount,
    stage: 'encode',
    task: `encode ${target.path}`,
    target,
    outputArgs: args,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return {
    get framesWritten() {
      return sink.framesWritten;
    },
    write: (frame) => sink.write(frame),
    finish: () => sink.finish(),
    abort: () => sink.abort(),
    output: target.path,
    outputWidth,
    outputHeight,
    audio,
  };
}

/** AAC is copied into MOV/MP4 untouched; WebM only allows Opus or Vorbis, so anything else is encoded to Opus. */
function audioCodecArgs(format: VideoFormat, audio: AudioStreamInfo): string[] {
  if (format.startsWith('webm')) return audio.codec === 'opus' ? ['-c:a', 'copy'] : ['-c:a', 'libopus', '-b:a', '128k'];
  return audio.codec === 'aac' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '192k'];
}
