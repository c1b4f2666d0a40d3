import { existsSync } from 'node:fs';
import { readFile, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import { isStudioError } from '../../shared/errors';
import type { JobProgress } from '../../shared/jobs';
import { decodeFrames } from './decodeFrames';
import { extensionFor, openVideoEncoder, type VideoFormat } from './encodeVideo';
import { probeMedia } from './probeMedia';
import { runFfprobe } from './runFfmpeg';
import { hasFfmpeg, makeSineAudio, makeSquareFrame, makeTempFolder, missingFfmpegReason, squareAlpha } from './testing/mediaTestKit';
import { verifyAlphaVideo } from './verifyAlphaVideo';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

const fps = { num: 30000, den: 1001 };
const frameCount = 10;

const cases: { format: VideoFormat; size: [number, number]; pixelFormat: RegExp; audio: string[]; isMatte?: boolean }[] = [
  // ffmpeg 5.1's ProRes decoder reports 4444 as yuva444p12le whatever the encoder was fed (yuva444p10le).
  { format: 'prores', size: [96, 64], pixelFormat: /^yuva444p1[02]le$/, audio: ['aac'] },
  { format: 'prores-fast', size: [96, 64], pixelFormat: /^yuva444p1[02]le$/, audio: ['aac'] },
  // VP9 alpha travels in a side channel: ffprobe says yuv420p and tags the stream alpha_mode=1.
  { format: 'webm', size: [96, 64], pixelFormat: /^yuv420p$/, audio: ['opus'] },
  { format: 'webm-fast', size: [96, 64], pixelFormat: /^yuv420p$/, audio: ['opus'] },
  { format: 'matte', size: [95, 63], pixelFormat: /^yuv420p$/, audio: [], isMatte: true },
  { format: 'mp4', size: [95, 63], pixelFormat: /^yuv420p$/, audio: ['aac'] },
];

/** The frame as mp4 and matte store it: padded to even sizes on the right and bottom (transparent black). */
function padFrame(frame: Image8, width: number, height: number): Image8 {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < frame.height; y++) data.set(frame.data.subarray(y * frame.width * 4, (y + 1) * frame.width * 4), y * width * 4);
  return { width, height, channels: 4, data };
}

describe.skipIf(!hasFfmpeg)('openVideoEncoder', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  let audioSource: string;
  beforeAll(async () => {
    folder = await makeTempFolder();
    audioSource = await makeSineAudio(join(folder.path, 'sine.m4a'));
  });
  afterAll(() => folder.remove());

  async function encode(format: VideoFormat, output: string, [width, height]: [number, number], onProgress?: (progress: JobProgress) => void) {
    const encoder = await openVideoEncoder({ output, format, width, height, fps, frameCount, audioSource, onProgress });
    for (let index = 0; index < frameCount; index++) await encoder.write(makeSquareFrame(index, width, height));
    await encoder.finish();
    return encoder;
  }

  it.each(cases)('writes $format with exact frames, rate, audio and alpha', async ({ format, size, pixelFormat, audio, isMatte }) => {
    const output = join(folder.path, `square-${format}${extensionFor(format)}`);
    const reports: JobProgress[] = [];
    const [width, height] = size;
    const encoder = await encode(format, output, size, (progress) => reports.push(progress));
    expect(reports.at(-1)).toMatchObject({ stage: 'encode', fraction: 1 });
    const info = await probeMedia(output);
    expect(info.pixelFormat).toMatch(pixelFormat);
    expect(info.hasAlphaTag).toBe(format.startsWith('webm'));
    expect(info.frameCount).toBe(frameCount);
    expect(info.fps).toEqual(fps);
    expect(info.isVariableFrameRate).toBe(false);
    expect([info.width, info.height]).toEqual([encoder.outputWidth, encoder.outputHeight]);
    expect(info.audio.map((stream) => stream.codec)).toEqual(audio);

    const expected = padFrame(makeSquareFrame(5, width, height), encoder.outputWidth, encoder.outputHeight);
    const verification = await verifyAlphaVideo(output, { isMatte, expected: { frameIndex: 5, image: expected } });
    if (format === 'mp4') {
      expect(verification).toMatchObject({ alphaVerified: false, hasAudio: true });
      // Composited over black: the red square at alpha 160 shows as red ≈ 160.
      let first: Image8 | undefined;
      for await (const frame of decodeFrames(output, { maxFrames: 1 })) first = frame.image;
      const pixel = first!.data.subarray((10 * encoder.outputWidth + 10) * 3);
      expect(Math.abs(pixel[0]! - squareAlpha)).toBeLessThan(8);
      expect(pixel[1]).toBeLessThan(10);
    } else {
      expect(verification, verification.reason).toMatchObject({ alphaVerified: true, frameCount, fps, hasAudio: audio.length > 0 });
      expect(verification.meanAlphaError).toBeLessThan(2);
    }
  });

  it('trims the audio to the video instead of cutting video frames', async () => {
    const output = join(folder.path, 'trimmed.mov');
    await encode('prores-fast', output, [64, 48]);
    const durations = (await runFfprobe(['-show_entries', 'stream=codec_type,duration', '-of', 'csv=p=0', '-i', output])).trim().split('\n');
    const videoSec = (frameCount * fps.den) / fps.num;
    const audioSec = Number(durations.find((line) => line.startsWith('audio'))!.split(',')[1]);
    // The sine is 2 s long; copied AAC keeps whole 1024-sample packets (21 ms at 48 kHz).
    expect(audioSec).toBeLessThan(videoSec + 0.05);
  });

  it('leaves no file, and keeps an earlier one, when cancelled mid-encode', async () => {
    const output = join(folder.path, 'cancelled.mov');
    await encode('prores-fast', output, [64, 48]);
    const before = await readFile(output);
    const listing = await readdir(folder.path);

    const controller = new AbortController();
    const encoder = await openVideoEncoder({ output, format: 'prores', width: 64, height: 48, fps, signal: controller.signal });
    for (let index = 0; index < 3; index++) await encoder.write(makeSquareFrame(index, 64, 48));
    controller.abort();
    const error = await encoder.write(makeSquareFrame(3, 64, 48)).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'CANCELLED')).toBe(true);
    await expect(encoder.finish()).rejects.toThrow();
    expect(await readdir(folder.path)).toEqual(listing);
    expect(Buffer.compare(await readFile(output), before)).toBe(0);
  });

  it('cleans up a cancel that lands between writes', async () => {
    const listing = await readdir(folder.path);
    const controller = new AbortController();
    const encoder = await openVideoEncoder({ output: join(folder.path, 'idle.webm'), format: 'webm-fast', width: 64, height: 48, fps, signal: controller.signal });
    await encoder.write(makeSquareFrame(0, 64, 48));
    controller.abort();
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(folder.path)).toEqual(listing);
  });

  it.skipIf(!existsSync('/dev/full'))('reports DISK_FULL when the output cannot be written, keeping earlier outputs', async () => {
    const earlier = join(folder.path, 'earlier.mov');
    await encode('prores-fast', earlier, [64, 48]);
    const before = await readFile(earlier);
    const full = join(folder.path, 'full.mov');
    await symlink('/dev/full', full);
    const encoder = await openVideoEncoder({ output: full, format: 'prores', width: 320, height: 240, fps });
    const error = await (async () => {
      for (let index = 0; index < 30; index++) await encoder.write(makeSquareFrame(index, 320, 240));
      await encoder.finish();
    })().catch((caught: unknown) => caught);
    expect(isStudioError(error, 'DISK_FULL')).toBe(true);
    expect((error as Error).message).toMatch(/disk is full/i);
    expect(Buffer.compare(await readFile(earlier), before)).toBe(0);
    expect((await readdir(folder.path)).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('rejects wrong frames and empty exports without leaving files', async () => {
    const listing = await readdir(folder.path);
    const encoder = await openVideoEncoder({ output: join(folder.path, 'empty.mp4'), format: 'mp4', width: 64, height: 48, fps });
    await expect(encoder.write(makeSquareFrame(0, 32, 48))).rejects.toThrow(RangeError);
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await readdir(folder.path)).toEqual(listing);
    await expect(openVideoEncoder({ output: '/nonexistent-folder/x.mov', format: 'prores', width: 64, height: 48, fps })).rejects.toMatchObject({
      code: 'OUTPUT_UNWRITABLE',
    });
  });

  it('verification fails a video whose alpha is all opaque, and one whose alpha differs from the expected frame', async () => {
    const opaque = join(folder.path, 'opaque.mov');
    const encoder = await openVideoEncoder({ output: opaque, format: 'prores-fast', width: 64, height: 48, fps });
    const solid: Image8 = { width: 64, height: 48, channels: 4, data: new Uint8Array(64 * 48 * 4).fill(255) };
    for (let index = 0; index < 3; index++) await encoder.write(solid);
    await encoder.finish();
    expect(await verifyAlphaVideo(opaque)).toMatchObject({ alphaVerified: false, reason: 'the decoded alpha is fully opaque' });

    const square = join(folder.path, 'square-for-mismatch.mov');
    await encode('prores-fast', square, [64, 48]);
    const matching = await verifyAlphaVideo(square, { expected: { frameIndex: 2, image: makeSquareFrame(2, 64, 48) } });
    expect(matching, matching.reason).toMatchObject({ alphaVerified: true });
    // The same frame with its alpha inverted: every pixel is off by |255 − 2a|, far beyond the tolerance.
    const inverted = makeSquareFrame(2, 64, 48);
    for (let index = 3; index < inverted.data.length; index += 4) inverted.data[index] = 255 - inverted.data[index]!;
    const mismatch = await verifyAlphaVideo(square, { expected: { frameIndex: 2, image: inverted } });
    expect(mismatch.alphaVerified).toBe(false);
    expect(mismatch.meanAlphaError).toBeGreaterThan(50);
    expect(mismatch.maxAlphaError).toBe(255);
    expect(mismatch.reason).toMatch(/differs from the expected frame/);
  });

  it('accepts one-channel mattes for the matte format', async () => {
    const output = join(folder.path, 'grey-matte.mp4');
    const encoder = await openVideoEncoder({ output, format: 'matte', width: 64, height: 48, fps, inputChannels: 1 });
    const alpha = new Uint8Array(64 * 48).map((_, index) => (index % 64) * 4);
    for (let index = 0; index < 3; index++) await encoder.write({ width: 64, height: 48, channels: 1, data: alpha });
    await encoder.finish();
    const verification = await verifyAlphaVideo(output, { isMatte: true, expected: { frameIndex: 1, image: { width: 64, height: 48, channels: 1, data: alpha } } });
    expect(verification.alphaVerified).toBe(true);
    expect(verification.maxAlphaError).toBeLessThanOrEqual(3);
  });
});
