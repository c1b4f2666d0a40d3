import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import type { FfmpegProgress } from './parseProgress';
import { runFfmpeg, startFfmpeg, withProtocolWhitelist, allowedContainerFormats } from './runFfmpeg';
import { hasFfmpeg, missingFfmpegReason } from './testing/mediaTestKit';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

describe('withProtocolWhitelist', () => {
  it('puts the whitelist before every input (and the container whitelist before probed ones)', () => {
    expect(withProtocolWhitelist(['-f', 'rawvideo', '-i', 'pipe:0', '-i', '/a.mp4', '-c:v', 'png', '/out.png'])).toEqual([
      '-f', 'rawvideo', '-protocol_whitelist', 'file,pipe', '-i', 'pipe:0',
      '-protocol_whitelist', 'file,pipe', '-format_whitelist', allowedContainerFormats.join(','), '-i', '/a.mp4', '-c:v', 'png', '/out.png',
    ]);
  });
});

describe.skipIf(!hasFfmpeg)('runFfmpeg', () => {
  const source = ['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25'];

  it('refuses network inputs', async () => {
    const error = await runFfmpeg(['-i', 'http://127.0.0.1:9/clip.mp4', '-f', 'null', '-']).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'FFMPEG_FAILED')).toBe(true);
    expect((error as { detail: string }).detail).toMatch(/whitelist|not found/i);
  });

  it('reports progress to the end', async () => {
    const reports: FfmpegProgress[] = [];
    await runFfmpeg([...source, '-frames:v', '30', '-f', 'null', '-'], { onProgress: (progress) => reports.push(progress) });
    expect(reports.at(-1)).toMatchObject({ frame: 30, done: true });
  });

  it.skipIf(!existsSync('/dev/full'))('maps "No space left on device" to DISK_FULL', async () => {
    const error = await runFfmpeg([...source, '-frames:v', '50', '-c:v', 'rawvideo', '-f', 'nut', '-y', '/dev/full']).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'DISK_FULL')).toBe(true);
    expect((error as Error).message).toMatch(/disk is full/i);
  });

  it.skipIf(!existsSync('/dev/full'))('fails a run whose trailer could not be written, though ffmpeg exits 0 for it', async () => {
    // A few tiny frames stay in the muxer's buffer until the trailer, so only writing the trailer meets the full disk.
    const error = await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=s=32x32:r=25', '-frames:v', '3', '-c:v', 'libvpx-vp9', '-f', 'webm', '-y', '/dev/full']).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'DISK_FULL')).toBe(true);
  });

  it('cancels through an AbortSignal within the grace period', async () => {
    const controller = new AbortController();
    // -re paces the input in real time, so this run would take 100 s if not cancelled.
    const running = runFfmpeg(['-re', ...source, '-t', '100', '-f', 'null', '-'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await running.catch((caught: unknown) => caught);
    expect(isStudioError(error, 'CANCELLED')).toBe(true);
    // TERM, then KILL after 2 s at the latest; the uncancelled run would take 100 s. A wide margin for loaded machines.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('turns EPIPE into a clear error when ffmpeg stops reading early', async () => {
    const process = await startFfmpeg(['-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', '64x64', '-i', 'pipe:0', '-frames:v', '1', '-f', 'null', '-'], { stdin: true });
    const frame = new Uint8Array(64 * 64 * 4 * 64);
    const error = await (async () => {
      for (let index = 0; index < 200; index++) await process.write(frame);
    })().catch((caught: unknown) => caught);
    expect(isStudioError(error, 'FFMPEG_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/stopped reading frames early/);
  });

  it('turns a failing command into FFMPEG_FAILED with the stderr tail as detail', async () => {
    const error = await runFfmpeg(['-i', '/nonexistent/clip.mp4', '-f', 'null', '-'], { task: 'read the clip' }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'FFMPEG_FAILED')).toBe(true);
    expect((error as Error).message).toBe('ffmpeg could not read the clip.');
    expect((error as { detail: string }).detail).toMatch(/No such file/);
  });
});
