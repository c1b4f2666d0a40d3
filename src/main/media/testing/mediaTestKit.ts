/**
 * Helpers for the media tests: an ffmpeg availability check with a skip message, temporary folders, tiny synthetic
 * clips made by ffmpeg's lavfi sources (cheap, deterministic, no fixtures needed) and synthetic RGBA frames.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Image8 } from '../../../core/imageTypes';
import { resolveFfmpeg } from '../resolveFfmpeg';
import { runFfmpeg } from '../runFfmpeg';
import { testAssetAvailable } from '../../testing/testAssets';

/** The message printed by media tests skipped for lack of ffmpeg. */
export const missingFfmpegReason = 'ffmpeg/ffprobe not found (set FFMPEG_PATH/FFPROBE_PATH or install ffmpeg): skipping media tests';

/**
 * True when ffmpeg and ffprobe resolve; media tests skip with {@link missingFfmpegReason} otherwise (through
 * `testAssets.ts`: under `MATTE_STUDIO_REQUIRE_ASSETS=1` a missing ffmpeg fails instead).
 */
export const hasFfmpeg = testAssetAvailable(
  'ffmpeg',
  await resolveFfmpeg().then(
    () => true,
    () => false,
  ),
  missingFfmpegReason,
);

/** A fresh temporary folder and its cleanup. */
export async function makeTempFolder(prefix = 'matte-media-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A tiny H.264 clip whose frame n is a flat grey of luma `16 + 5n` (up to frame 43), so every frame is distinguishable even when tiny
 * (`extraArgs` go before the output, e.g. filters).
 */
export async function makeTestClip(path: string, options: { width?: number; height?: number; rate?: string; frames?: number; extraArgs?: string[] } = {}): Promise<string> {
  const { width = 64, height = 48, rate = '25', frames = 10, extraArgs = [] } = options;
  const source = `nullsrc=s=${width}x${height}:r=${rate},format=yuv420p,geq=lum='min(16+5*N\\,235)':cb=128:cr=128`;
  await runFfmpeg(['-f', 'lavfi', '-i', source, '-frames:v', String(frames), ...extraArgs, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', path]);
  return path;
}

/** Mean of the first channel of an image: recovers the grey level of a {@link makeTestClip} frame. */
export function meanLevel(image: Image8): number {
  let sum = 0;
  for (let index = 0; index < image.data.length; index += image.channels) sum += image.data[index]!;
  return sum / (image.width * image.height);
}

/** A 440 Hz sine, AAC in M4A, as an audio source that MOV/MP4 exports copy and WebM re-encodes to Opus. */
export async function makeSineAudio(path: string, durationSec = 2): Promise<string> {
  await runFfmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationSec}`, '-c:a', 'aac', '-b:a', '96k', '-y', path]);
  return path;
}

/** Alpha of the moving square in {@link makeSquareFrame}. */
export const squareAlpha = 160;

/**
 * RGBA frame `index`: a transparent colour ramp with a semi-transparent red square that moves 2 px per frame,
 * so every frame differs and the alpha has soft (not only 0/255) values.
 */
export function makeSquareFrame(index: number, width: number, height: number): Image8 {
  const data = new Uint8Array(width * height * 4);
  const side = Math.floor(height / 2);
  const left = index * 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const inside = x >= left && x < left + side && y >= 4 && y < 4 + side;
      data[offset] = inside ? 255 : Math.floor((x * 255) / width);
      data[offset + 1] = inside ? 0 : Math.floor((y * 255) / height);
      data[offset + 2] = inside ? 0 : 128;
      data[offset + 3] = inside ? squareAlpha : 0;
    }
  }
  return { width, height, channels: 4, data };
}
