/**
 * Reads what the studio needs to know about a clip from ffprobe's JSON, validated with zod because ffprobe output is
 * a trust boundary (its fields vary by container, codec and version).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { expectation } from '../../core/imageTypes';
import { StudioError, isStudioError } from '../../shared/errors';
import { containerRefused, isAllowedContainer, refusedFormatError, runFfprobe } from './runFfmpeg';

/** A frame rate as an exact fraction, e.g. 30000/1001. */
export interface Rational {
  num: number;
  den: number;
}

/** One audio stream of a clip. */
export interface AudioStreamInfo {
  /** Stream index in the file (for `-map 0:<index>`). */
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
}

/** What {@link probeMedia} reports about a clip's first video stream and its audio. */
export interface MediaInfo {
  /** Absolute path that was probed. */
  path: string;
  /** Container name as ffprobe says it, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  /** Stream index of the video stream. */
  videoStreamIndex: number;
  /** Coded (stored) size in pixels. */
  width: number;
  height: number;
  /** Size after applying the rotation, i.e. the size decoded frames have (ffmpeg autorotates by default). */
  displayWidth: number;
  displayHeight: number;
  /** Display-matrix rotation as ffprobe reports it (counterclockwise degrees), normalised to 0, 90, 180 or 270. */
  rotationDeg: 0 | 90 | 180 | 270;
  /**
   * Shape of a displayed pixel (width : height) as frames are decoded: 1/1 for square pixels; anamorphic footage (DV,
   * HDV) stores a narrower picture that players stretch by this. Exports carry it, so editors show the clip unsqueezed.
   */
  sampleAspectRatio: Rational;
  /** Nominal frame rate; frames are decoded on this constant-rate timeline. */
  fps: Rational;
  /** `fps.num / fps.den`. */
  fpsValue: number;
  /** Exact number of frames {@link decodeFrames} yields for the whole clip. */
  frameCount: number;
  /** How frameCount was obtained: container header, counted packets, or the packet time span for variable-rate clips. */
  frameCountSource: 'header' | 'packets' | 'timeline';
  durationSec: number;
  /** True when the real (average) rate differs from the nominal rate, as in phone footage. */
  isVariableFrameRate: boolean;
  /** Pixel format ffprobe reports, e.g. `yuv420p`; VP9 with alpha reports `yuv420p` plus {@link hasAlphaTag}. */
  pixelFormat: string;
  /** Video codec name, e.g. `h264`, `mpeg4`, `prores`, `vp9`. */
  codec: string;
  /** True when the stream carries the Matroska `alpha_mode=1` tag (VP8/VP9 with an alpha side channel). */
  hasAlphaTag: boolean;
  audio: AudioStreamInfo[];
}

const numeric = z.union([z.number(), z.string()]).optional();
const streamSchema = z.object({
  index: z.number().int().nonnegative(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  pix_fmt: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  sample_aspect_ratio: z.string().optional(),
  nb_frames: numeric,
  duration: numeric,
  sample_rate: numeric,
  channels: z.number().int().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: numeric })).optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
});
const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({ format_name: z.string().optional(), duration: numeric }).optional(),
});
type ProbeStream = z.infer<typeof streamSchema>;

/** Frame rates above this are timestamp-resolution guesses (e.g. 90000/1), not real rates. */
const maxPlausibleFps = 240;
/** Relative difference between nominal and average rate above which a clip counts as variable-rate. */
const variableRateTolerance = 0.0005;

/**
 * Probes a clip.
 * @throws StudioError `FILE_NOT_FOUND`, `FILE_EMPTY`, `DECODE_FAILED` (not media, or no video stream),
 *   `UNSUPPORTED_FORMAT` (a container outside the allowlist: playlists, concat lists, image patterns), `CANCELLED`.
 */
export async function probeMedia(path: string, options: { signal?: AbortSignal } = {}): Promise<MediaInfo> {
  const absolute = resolve(path);
  await assertReadableFile(absolute);
  const raw = await probeJson(absolute, options.signal);
  const parsed = probeSchema.safeParse(raw);
  if (!parsed.success) throw notMedia(absolute, `ffprobe JSON did not validate: ${parsed.error.message}`);
  const formatName = parsed.data.format?.format_name ?? 'unknown';
  // ffprobe already refuses other demuxers (-format_whitelist); checking the answer too keeps that promise explicit.
  if (!isAllowedContainer(formatName)) throw containerRefused(formatName, absolute);
  const streams = parsed.data.streams;
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  if (!video || !video.width || !video.height) throw notMedia(absolute, 'no video stream with a size');

  const rotationDeg = readRotation(video);
  const quarterTurn = rotationDeg === 90 || rotationDeg === 270;
  const nominal = parseRational(video.r_frame_rate);
  const average = parseRational(video.avg_frame_rate);
  const fps = chooseFrameRate(nominal, average);
  if (!fps) throw notMedia(absolute, `no usable frame rate (r_frame_rate ${video.r_frame_rate}, avg_frame_rate ${video.avg_frame_rate})`);
  const fpsValue = fps.num / fps.den;
  const averageValue = average ? average.num / average.den : fpsValue;
  const isVariableFrameRate = Math.abs(averageValue - fpsValue) / fpsValue > variableRateTolerance;
  const durationSec = toNumber(video.duration) ?? toNumber(parsed.data.format?.duration) ?? 0;

  let frameCount: number;
  let frameCountSource: MediaInfo['frameCountSource'];
  const headerFrames = toNumber(video.nb_frames);
  if (isVariableFrameRate) {
    // decodeFrames resamples variable-rate clips onto the nominal timeline, so the span of the packets on that timeline
    // (first timestamp to the end of the last frame) defines the count; the container duration can be a frame short.
    const timeline = await measureTimeline(absolute, video.index, options.signal);
    frameCount = Math.max(1, Math.round((timeline.endSec - timeline.startSec) * fpsValue));
    frameCountSource = 'timeline';
  } else if (headerFrames !== undefined && headerFrames > 0) {
    frameCount = headerFrames;
    frameCountSource = 'header';
  } else {
    // WebM/MKV and raw streams carry no frame count; counting packets reads the file without decoding it.
    frameCount = await countPackets(absolute, video.index, options.signal);
    frameCountSource = 'packets';
  }

  return {
    path: absolute,
    formatName,
    videoStreamIndex: video.index,
    width: video.width,
    height: video.height,
    displayWidth: quarterTurn ? video.height : video.width,
    displayHeight: quarterTurn ? video.width : video.height,
    rotationDeg,
    sampleAspectRatio: readSampleAspectRatio(video.sample_aspect_ratio, quarterTurn),
    fps,
    fpsValue,
    frameCount,
    frameCountSource,
    durationSec: durationSec || frameCount / fpsValue,
    isVariableFrameRate,
    pixelFormat: video.pix_fmt ?? 'unknown',
    codec: video.codec_name ?? 'unknown',
    hasAlphaTag: video.tags?.alpha_mode === '1' || video.tags?.ALPHA_MODE === '1',
    audio: listAudio(streams),
  };
}

function listAudio(streams: ProbeStream[]): AudioStreamInfo[] {
  return streams
    .filter((stream) => stream.codec_type === 'audio')
    .map((stream) => ({ index: stream.index, codec: stream.codec_name ?? 'unknown', sampleRate: toNumber(stream.sample_rate) ?? 0, channels: stream.channels ?? 0 }));
}

/** Lists the audio streams of any media file (audio-only files included, unlike {@link probeMedia}). */
export async function probeAudioStreams(path: string, options: { signal?: AbortSignal } = {}): Promise<AudioStreamInfo[]> {
  const absolute = resolve(path);
  await assertReadableFile(absolute);
  const parsed = probeSchema.safeParse(await probeJson(absolute, options.signal));
  if (!parsed.success) throw notMedia(absolute, `ffprobe JSON did not validate: ${parsed.error.message}`);
  return listAudio(parsed.data.streams);
}

/** Parses `"30000/1001"` into a reduced {@link Rational}; undefined for `0/0`, `N/A` or garbage. */
export function parseRational(text: string | undefined): Rational | undefined {
  const match = text === undefined ? null : /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  if (num <= 0 || den <= 0) return undefined;
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

/**
 * Whether two frame rates are the same rate as a container can store it. Matroska/WebM keeps timestamps in whole
 * milliseconds, so a 59.94 fps export (16.683 ms a frame) reads back as 19001/317 (6e-7 away from 60000/1001);
 * a real change of rate, even 29.97 ↔ 30 (1e-3 apart), stays well outside the 1e-4 allowed.
 */
export function isSameFrameRate(first: Rational, second: Rational): boolean {
  return Math.abs(first.num * second.den - second.num * first.den) <= 1e-4 * first.num * second.den;
}

/** The ffmpeg filter `setsar=n/d` for a pixel shape other than square; undefined for square pixels or none given. */
export function sampleAspectRatioFilter(ratio: Rational | undefined): string | undefined {
  if (!ratio || ratio.num === ratio.den) return undefined;
  if (!Number.isInteger(ratio.num) || !Number.isInteger(ratio.den) || ratio.num <= 0 || ratio.den <= 0) {
    throw new RangeError(expectation('a positive integer fraction', 'sampleAspectRatio', ratio));
  }
  return `setsar=${ratio.num}/${ratio.den}`;
}

/** Formats a rational for ffmpeg options such as `-r` and `-framerate`. */
export function formatRational(rate: Rational): string {
  return `${rate.num}/${rate.den}`;
}

function chooseFrameRate(nominal: Rational | undefined, average: Rational | undefined): Rational | undefined {
  const plausible = (rate: Rational | undefined): rate is Rational => rate !== undefined && rate.num / rate.den <= maxPlausibleFps;
  if (!plausible(nominal)) return plausible(average) ? average : undefined;
  // Interlaced H.264 reports the field rate as r_frame_rate; the frame rate is then exactly half of it.
  if (plausible(average) && Math.abs((nominal.num / nominal.den) / (average.num / average.den) - 2) < 0.01) return average;
  return nominal;
}

/** ffprobe's `4:3` as a rational; square for `0:1`, `N/A` or none. A quarter turn turns the pixel too. */
function readSampleAspectRatio(text: string | undefined, quarterTurn: boolean): Rational {
  const ratio = parseRational(text?.replace(':', '/')) ?? { num: 1, den: 1 };
  return quarterTurn ? { num: ratio.den, den: ratio.num } : ratio;
}

function readRotation(stream: ProbeStream): 0 | 90 | 180 | 270 {
  const fromMatrix = stream.side_data_list?.map((data) => toNumber(data.rotation)).find((value) => value !== undefined);
  // Files written before ffmpeg 5 keep a clockwise `rotate` tag instead of display-matrix side data.
  const fromTag = toNumber(stream.tags?.rotate);
  const degrees = fromMatrix ?? (fromTag === undefined ? 0 : -fromTag);
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter]!;
}

async function assertReadableFile(path: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw notMedia(path, 'not a regular file');
    size = info.size;
  } catch (error) {
    if (isStudioError(error)) throw error;
    throw new StudioError('FILE_NOT_FOUND', `The file ${path} was not found.`, String(error), { cause: error });
  }
  if (size === 0) throw new StudioError('FILE_EMPTY', `The file ${path} is empty.`);
}

async function probeJson(path: string, signal: AbortSignal | undefined): Promise<unknown> {
  try {
    const text = await runFfprobe(['-print_format', 'json', '-show_format', '-show_streams', '-i', path], { signal, task: 'read the clip' });
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (isStudioError(error, 'CANCELLED', 'FFMPEG_MISSING')) throw error;
    const detail = error instanceof StudioError ? error.detail ?? '' : String(error);
    const refused = refusedFormatError(detail, path);
    if (refused) throw refused;
    throw notMedia(path, error instanceof StudioError ? error.detail ?? error.message : String(error), error);
  }
}

async function countPackets(path: string, streamIndex: number, signal: AbortSignal | undefined): Promise<number> {
  const text = await runFfprobe(
    ['-select_streams', String(streamIndex), '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', '-i', path],
    { signal, task: 'count the frames of the clip' },
  );
  const count = Number.parseInt(text.trim(), 10);
  if (!Number.isFinite(count) || count <= 0) throw notMedia(path, `packet count was ${JSON.stringify(text.trim())}`);
  return count;
}

/** First presentation time and end of the last frame (its time plus duration) over all packets of a stream. */
async function measureTimeline(path: string, streamIndex: number, signal: AbortSignal | undefined): Promise<{ startSec: number; endSec: number }> {
  const text = await runFfprobe(
    ['-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', '-i', path],
    { signal, task: 'read the timestamps of the clip' },
  );
  let startSec = Infinity;
  let endSec = -Infinity;
  for (const line of text.split('\n')) {
    const [pts, duration] = line.split(',').map(Number.parseFloat);
    if (pts === undefined || !Number.isFinite(pts)) continue;
    startSec = Math.min(startSec, pts);
    endSec = Math.max(endSec, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
  }
  if (!Number.isFinite(startSec)) throw notMedia(path, 'no video packets with timestamps');
  return { startSec, endSec };
}

function notMedia(path: string, detail: string, cause?: unknown): StudioError {
  return new StudioError('DECODE_FAILED', `The file ${path} could not be read as a video.`, detail, { cause });
}

function toNumber(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const result = typeof value === 'number' ? value : Number.parseFloat(value);
  return Number.isFinite(result) ? result : undefined;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
