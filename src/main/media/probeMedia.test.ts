import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { fixture, hasFixtures, missingFixturesReason } from '../testing/fixtures';
import { isSameFrameRate, parseRational, probeMedia } from './probeMedia';
import { runFfmpeg } from './runFfmpeg';
import { hasFfmpeg, makeTempFolder, makeTestClip, missingFfmpegReason } from './testing/mediaTestKit';

if (!hasFfmpeg) console.warn(missingFfmpegReason);
else if (!hasFixtures) console.warn(missingFixturesReason);

describe('parseRational', () => {
  it('reduces fractions and rejects unusable rates', () => {
    expect(parseRational('30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(parseRational('50/2')).toEqual({ num: 25, den: 1 });
    expect(parseRational('24')).toEqual({ num: 24, den: 1 });
    expect(parseRational('0/0')).toBeUndefined();
    expect(parseRational('N/A')).toBeUndefined();
  });
});

describe('isSameFrameRate', () => {
  it('takes a rate WebM rounded to milliseconds as the same, and a real change of rate as a change', () => {
    expect(isSameFrameRate({ num: 25, den: 1 }, { num: 25, den: 1 })).toBe(true);
    expect(isSameFrameRate({ num: 60000, den: 1001 }, { num: 19001, den: 317 })).toBe(true); // what ffprobe reads from WebM
    expect(isSameFrameRate({ num: 19001, den: 317 }, { num: 60000, den: 1001 })).toBe(true);
    expect(isSameFrameRate({ num: 30000, den: 1001 }, { num: 30, den: 1 })).toBe(false);
    expect(isSameFrameRate({ num: 24000, den: 1001 }, { num: 24, den: 1 })).toBe(false);
    expect(isSameFrameRate({ num: 25, den: 1 }, { num: 50, den: 1 })).toBe(false);
  });
});

// Expected values from ../shared/fixtures/MANIFEST.tsv and ffprobe.
const clips = [
  { file: 'clips/lp_d12_room.mp4', codec: 'h264', size: [512, 512], fps: { num: 25, den: 1 }, frames: 183, audio: 'aac' },
  { file: 'clips/lp_d13_vertical_office.mp4', codec: 'h264', size: [720, 1280], fps: { num: 30, den: 1 }, frames: 352, audio: undefined },
  { file: 'clips/lp_d19_plainwall.mp4', codec: 'h264', size: [480, 480], fps: { num: 30, den: 1 }, frames: 250, audio: 'aac' },
  { file: 'clips/st_WDA_AOC_mpeg4.mp4', codec: 'mpeg4', size: [512, 512], fps: { num: 25, den: 1 }, frames: 200, audio: 'aac' },
] as const;

describe.skipIf(!hasFfmpeg || !hasFixtures)('probeMedia on the fixture clips', () => {
  it.each(clips)('$file', async (clip) => {
    const info = await probeMedia(fixture(clip.file));
    expect(info.codec).toBe(clip.codec);
    expect([info.displayWidth, info.displayHeight]).toEqual(clip.size);
    expect(info.rotationDeg).toBe(0);
    expect(info.fps).toEqual(clip.fps);
    expect(info.isVariableFrameRate).toBe(false);
    expect(info.frameCount).toBe(clip.frames);
    expect(info.durationSec).toBeCloseTo(clip.frames / (clip.fps.num / clip.fps.den), 2);
    expect(info.pixelFormat).toBe('yuv420p');
    expect(info.audio.map((stream) => stream.codec)).toEqual(clip.audio ? [clip.audio] : []);
  });
});

describe.skipIf(!hasFfmpeg)('probeMedia on synthetic clips and bad files', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  beforeAll(async () => {
    folder = await makeTempFolder();
  });
  afterAll(() => folder.remove());

  it('reports rotation and the displayed size', async () => {
    const plain = await makeTestClip(join(folder.path, 'plain.mp4'), { width: 64, height: 48, frames: 3 });
    const rotated = join(folder.path, 'rotated.mp4');
    // ffmpeg 5.1 still turns the legacy rotate tag into a display matrix when remuxing.
    await runFfmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-y', rotated]);
    const info = await probeMedia(rotated);
    expect([info.width, info.height]).toEqual([64, 48]);
    expect([info.displayWidth, info.displayHeight]).toEqual([48, 64]);
    expect(info.rotationDeg === 90 || info.rotationDeg === 270).toBe(true);
  });

  it('reports the pixel shape of anamorphic footage (square otherwise), turned with a quarter-turned picture', async () => {
    expect((await probeMedia(await makeTestClip(join(folder.path, 'square.mp4'), { frames: 2 }))).sampleAspectRatio).toEqual({ num: 1, den: 1 });
    const wide = await makeTestClip(join(folder.path, 'anamorphic.mp4'), { width: 48, height: 48, frames: 2, extraArgs: ['-vf', 'setsar=4/3'] });
    expect((await probeMedia(wide)).sampleAspectRatio).toEqual({ num: 4, den: 3 });
    const turned = join(folder.path, 'anamorphic-rotated.mp4');
    await runFfmpeg(['-i', wide, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-y', turned]);
    expect((await probeMedia(turned)).sampleAspectRatio).toEqual({ num: 3, den: 4 });
  });

  it('flags variable frame rate and counts frames on the nominal timeline', async () => {
    // Drop 3 of every 10 frames and keep the gaps: r_frame_rate stays 30, the average falls to 21.
    const path = await makeTestClip(join(folder.path, 'vfr.mp4'), { width: 32, height: 24, rate: '30', frames: 30, extraArgs: ['-vf', 'select=lt(mod(n\\,10)\\,7)', '-fps_mode', 'vfr'] });
    const info = await probeMedia(path);
    expect(info.isVariableFrameRate).toBe(true);
    expect(info.fps).toEqual({ num: 30, den: 1 });
    expect(info.frameCountSource).toBe('timeline');
    // Kept frames 0–6, 10–16, 20–26, 30–36, 40–41: the timeline runs from frame 0 to the end of frame 41.
    expect(info.frameCount).toBe(42);
  });

  it('gives DECODE_FAILED for a file that is not media', async () => {
    const path = join(folder.path, 'notes.mp4');
    await writeFile(path, 'this is not a video\n'.repeat(50));
    const error = await probeMedia(path).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'DECODE_FAILED')).toBe(true);
    expect((error as Error).message).toContain('could not be read as a video');
  });

  it('gives FILE_NOT_FOUND and FILE_EMPTY before running ffprobe', async () => {
    await expect(probeMedia(join(folder.path, 'missing.mp4'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const empty = join(folder.path, 'empty.mp4');
    await writeFile(empty, '');
    await expect(probeMedia(empty)).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  });
});
