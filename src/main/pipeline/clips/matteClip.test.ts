import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { paintBrushDab } from '../../../core/matting/paintBrushDab';
import { defaultStillSettings } from '../../../shared/settings';
import { createEngine } from '../../engine';
import { probeMedia } from '../../media/probeMedia';
import { fixture, hasFixtures, missingFixturesReason } from '../../testing/fixtures';
import { clipFormats, clipOutputName, type ClipFormat } from './clipFormats';
import { matteClip, matteClipToMany } from './matteClip';

if (!hasFixtures) console.warn(missingFixturesReason);

// The classical tier keeps this matrix fast; model inference on clips is exercised by the CLI test and the benchmark.
const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
afterAll(() => engine.dispose());

const clips = [
  { file: 'clips/lp_d12_room.mp4', width: 512, height: 512, fps: { num: 25, den: 1 }, audio: true },
  { file: 'clips/lp_d13_vertical_office.mp4', width: 720, height: 1280, fps: { num: 30, den: 1 }, audio: false },
  { file: 'clips/lp_d19_plainwall.mp4', width: 480, height: 480, fps: { num: 30, den: 1 }, audio: true },
  { file: 'clips/st_WDA_AOC_mpeg4.mp4', width: 512, height: 512, fps: { num: 25, den: 1 }, audio: true },
];
const frames = 6;
const expectedPixelFormat: Partial<Record<ClipFormat, RegExp>> = {
  // ffprobe reports ProRes 4444 as the decoder's 12-bit output format although 10-bit was encoded.
  prores: /^yuva444p1[02]le$/,
  'prores-fast': /^yuva444p1[02]le$/,
  // VP9 alpha lives in a side channel: ffprobe says yuv420p and the stream carries alpha_mode=1.
  webm: /^yuv420p$/,
  'webm-fast': /^yuv420p$/,
  matte: /^yuv420p$/,
  mp4: /^yuv420p$/,
  'png-sequence': /^rgba$/,
};

describe.skipIf(!hasFixtures)('clip export matrix (every fixture clip × every format)', () => {
  for (const clip of clips) {
    describe(clip.file, () => {
      it.each(clipFormats.map((format) => [format]))('%s: right pixel format, frame count, fps, audio, alpha verified', async (format) => {
        const outDir = await mkdtemp(join(tmpdir(), 'clip-'));
        onTestFinished(() => rm(outDir, { recursive: true, force: true }));
        const output = join(outDir, clipOutputName('clip', format));
        const outcome = await matteClip(engine, { input: fixture(clip.file), output, format, settings: defaultStillSettings(), maxFrames: frames, background: '#336699' });
        expect(outcome.frames).toBe(frames);
        expect(outcome.fps).toEqual(clip.fps);
        expect(outcome.tier).toBe(3);
        if (format === 'png-sequence') {
          const files = (await readdir(output)).sort();
          expect(files).toHaveLength(frames);
          const info = await sharp(join(output, files[0]!)).metadata();
          expect([info.width, info.height, info.channels]).toEqual([clip.width, clip.height, 4]);
          expect(outcome.alphaVerified).toBe(true);
          expect(outcome.audio).toBe(false);
          return;
        }
        const probe = await probeMedia(output);
        expect(probe.pixelFormat).toMatch(expectedPixelFormat[format]!);
        expect(probe.frameCount).toBe(frames);
        expect(probe.fps).toEqual(clip.fps);
        expect([probe.width, probe.height]).toEqual([clip.width, clip.height]);
        const hasAudio = clip.audio && format !== 'matte';
        expect(probe.audio.length > 0).toBe(hasAudio);
        expect(outcome.audio).toBe(hasAudio);
        if (hasAudio) expect(probe.audio[0]!.codec).toBe(format.startsWith('webm') ? 'opus' : 'aac');
        if (format.startsWith('webm')) expect(probe.hasAlphaTag).toBe(true);
        expect(outcome.alphaVerified).toBe(format === 'mp4' || format === 'matte' ? null : true);
        expect((await readdir(outDir)).filter((name) => name.startsWith('.'))).toEqual([]);
      });
    });
  }
});

describe.skipIf(!hasFixtures)('clip export faults and hand edits', () => {
  it('applies a per-frame hand edit on top of the matte in that frame only', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'clip-edit-'));
    const output = join(outDir, 'edited_png');
    const edit = createMaskEdit(480, 480);
    paintBrushDab(edit, { x: 20, y: 20, sizePx: 20, mode: 'add', hardness: 1 });
    await matteClip(engine, { input: fixture('clips/lp_d19_plainwall.mp4'), output, format: 'png-sequence', settings: defaultStillSettings(), maxFrames: 3, maskEditFor: (index) => (index === 1 ? edit : undefined) });
    const files = (await readdir(output)).sort();
    const alphaAt = async (file: string) => (await sharp(join(output, file)).extractChannel(3).raw().toBuffer())[20 * 480 + 20]!;
    expect(await alphaAt(files[1]!)).toBe(255);
    expect(await alphaAt(files[0]!)).toBeLessThan(128);
    expect(await alphaAt(files[2]!)).toBeLessThan(128);
  });

  it('cancelling mid-export leaves no file, partial or final', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'clip-cancel-'));
    const controller = new AbortController();
    const run = matteClip(engine, {
      input: fixture('clips/lp_d12_room.mp4'),
      output: join(outDir, 'cancelled.mov'),
      format: 'prores',
      settings: defaultStillSettings(),
      signal: controller.signal,
      onFrameAlpha: (index) => index === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('a full disk gives DISK_FULL and leaves earlier outputs intact', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'clip-full-'));
    const earlier = join(outDir, 'earlier.webm');
    await writeFile(earlier, 'an earlier export');
    const full = join(outDir, 'full.mov');
    await symlink('/dev/full', full);
    const run = matteClip(engine, { input: fixture('clips/lp_d19_plainwall.mp4'), output: full, format: 'prores-fast', settings: defaultStillSettings(), maxFrames: 4 });
    await expect(run).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/disk is full/i) });
    expect((await stat(earlier)).size).toBe('an earlier export'.length);
  });

  it('one matting pass feeds several formats; a failing target is reported while the others are written', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'clip-many-'));
    const full = join(outDir, 'full.mov');
    await symlink('/dev/full', full);
    const outcome = await matteClipToMany(engine, {
      input: fixture('clips/lp_d12_room.mp4'),
      targets: [
        { format: 'webm-fast', output: join(outDir, 'a.webm') },
        { format: 'prores-fast', output: full },
        { format: 'matte', output: join(outDir, 'a_matte.mp4') },
      ],
      settings: defaultStillSettings(),
      maxFrames: 5,
    });
    expect(outcome.frames).toBe(5);
    expect(outcome.targets.map((target) => [target.format, target.ok])).toEqual([['webm-fast', true], ['prores-fast', false], ['matte', true]]);
    const failed = outcome.targets[1]!;
    expect(failed.ok === false && failed.error.code).toBe('DISK_FULL');
    expect((await probeMedia(join(outDir, 'a.webm'))).frameCount).toBe(5);
    expect((await probeMedia(join(outDir, 'a_matte.mp4'))).frameCount).toBe(5);
  });
});
