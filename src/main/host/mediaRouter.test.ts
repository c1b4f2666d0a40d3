import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundPicturePath, framePath, sourcePath, thumbnailPath } from '../../shared/contract/mediaPaths';
import { refinementSettingsSchema } from '../../shared/settings';
import { probeMedia } from '../media/probeMedia';
import { waitFor } from '../../shared/rpc/testing/contractSuite';
import { fixture, hasFixtures, missingFixturesReason } from '../testing/fixtures';
import { bodyOf, createStudioHarness, type StudioHarness } from '../handlers/testing/studioHarness';

if (!hasFixtures) console.warn(missingFixturesReason);

const clipPath = fixture('clips/lp_d19_plainwall.mp4');
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8;

// No model installed: the classical tier keeps clip exports fast; the model path is covered by studioService.test.ts.
describe.skipIf(!hasFixtures)('clips and media routes', () => {
  let harness: StudioHarness;
  let clipId: string;
  let stillId: string;
  beforeAll(async () => {
    harness = createStudioHarness({ models: false });
    const opened = await harness.api.openPaths({ paths: [clipPath, fixture('portraits/u2_man5_curly_16x9.jpg')] });
    clipId = opened.items[0]!.id;
    stillId = opened.items[1]!.id;
  });
  afterAll(() => harness?.dispose());

  it('opens a clip with its exact frame count, rate, size and audio', async () => {
    const { items } = await harness.api.openPaths({ paths: [clipPath] });
    expect(items).toEqual([expect.objectContaining({ id: clipId, kind: 'clip', width: 480, height: 480, frameCount: 250, fps: { num: 30, den: 1 }, hasAudio: true })]);
  });

  it('serves different JPEG frames for scrubbing, at most maxSide pixels, and 404 past the end', async () => {
    const frame0 = await harness.media(framePath(clipId, 0, 640));
    const frame100 = await harness.media(framePath(clipId, 100, 640));
    expect([frame0.status, frame100.status, frame0.headers['Content-Type']]).toEqual([200, 200, 'image/jpeg']);
    const [bytes0, bytes100] = [await bodyOf(frame0), await bodyOf(frame100)];
    expect(isJpeg(bytes0) && isJpeg(bytes100)).toBe(true);
    expect(bytes0.equals(bytes100)).toBe(false);
    expect((await sharp(bytes100).metadata()).width).toBe(480); // never enlarged past the clip's own size
    const small = await bodyOf(await harness.media(framePath(clipId, 100, 120)));
    expect((await sharp(small).metadata()).width).toBe(120);
    expect((await harness.media(framePath(clipId, 250, 640))).status).toBe(404);
    // The background pass decodes the whole clip once at proxy size; scrubbing then reads the cache.
    await waitFor(() => harness.studio.frames.cachedFrameCount(clipId) === 250, 'the background pass to cache all 250 frames', 60_000);
    expect((await bodyOf(await harness.media(framePath(clipId, 100, 640)))).equals(bytes100)).toBe(true);
    const still = await bodyOf(await harness.media(framePath(stillId, 0, 200)));
    expect(await sharp(still).metadata()).toMatchObject({ format: 'jpeg', width: 200 });
  });

  it('holds background matting back while the user steps through frames', async () => {
    const { activity } = harness.studio.mattes;
    await activity.whenIdle();
    const served = harness.media(framePath(clipId, 7, 640));
    expect(activity.isBusy).toBe(true);
    expect((await served).status).toBe(200);
    // Between the frames of a scrub the pass stays held for the quiet time, so it cannot slip a model run in.
    let isResumed = false;
    void activity.whenIdle().then(() => (isResumed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isResumed).toBe(false);
    await activity.whenIdle();
  });

  it('serves thumbnails of at most 256 pixels', async () => {
    for (const id of [clipId, stillId]) {
      const response = await harness.media(thumbnailPath(id));
      const { width = 0, height = 0, format } = await sharp(await bodyOf(response)).metadata();
      expect(format).toBe('jpeg');
      expect(Math.max(width, height)).toBe(256);
    }
  });

  it('serves an opened file with Range support, and nothing else', async () => {
    const whole = await readFile(clipPath);
    const ranged = await harness.media(sourcePath(clipId), { range: 'bytes=100-199' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers).toMatchObject({ 'Content-Type': 'video/mp4', 'Content-Range': `bytes 100-199/${whole.length}`, 'Content-Length': '100' });
    expect((await bodyOf(ranged)).equals(whole.subarray(100, 200))).toBe(true);
    expect((await harness.media(sourcePath(clipId), { range: `bytes=${whole.length + 5}-` })).status).toBe(416);
    const refused = [
      sourcePath('unknown-id'),
      '/media/source/../../../etc/passwd',
      `/media/source/${encodeURIComponent('../../../etc/passwd')}`,
      `/media/source/${encodeURIComponent(clipPath)}`,
      `/media/source/${clipId}/..`,
      '/media/source/%E0%A4%A',
      '/media/preview/not-a-preview/cutout',
      `/media/thumb/${clipId}/extra`,
      '/media/elsewhere/x',
      '/etc/passwd',
    ];
    for (const path of refused) {
      const response = await harness.media(path);
      expect([path, response.status]).toEqual([path, 404]);
      expect((await bodyOf(response)).toString()).toBe('Not found');
    }
  });

  it('serves a kept background picture by its kept name, and no other file', async () => {
    const wall = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#20c040' } }).png().toBuffer();
    const { path } = await harness.api.storeBackgroundPicture({ name: 'green.png', base64: wall.toString('base64') });
    const served = await harness.media(backgroundPicturePath(basename(path)));
    expect([served.status, served.headers['Content-Type']]).toEqual([200, 'image/png']);
    expect((await bodyOf(served)).equals(wall)).toBe(true);
    for (const refused of [backgroundPicturePath(`${'0'.repeat(32)}.png`), backgroundPicturePath('../../etc/passwd'), `${backgroundPicturePath(basename(path))}/x`, backgroundPicturePath(basename(clipPath))]) {
      expect([refused, (await harness.media(refused)).status]).toEqual([refused, 404]);
    }
  });

  it('exports a clip as VP9 with verified alpha and its hand edits, and keeps the flagged frames', async () => {
    const outputDir = await mkdtemp(join(tmpdir(), 'studio-clip-'));
    const settings = refinementSettingsSchema.parse({});
    const result = await harness.api.exportItem({ jobId: 'clip-1', itemId: clipId, format: 'webm-fast', outputDir, settings, maxFrames: 3 });
    expect(result).toEqual({ output: join(outputDir, 'lp_d19_plainwall.webm'), alphaVerified: true, frames: 3 });
    expect((await probeMedia(result.output)).frameCount).toBe(3);
    expect(harness.progress.filter((event) => event.jobId === 'clip-1').at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
    expect(Array.isArray(await harness.api.getFlaggedFrames({ itemId: clipId }))).toBe(true);
    const wrong = harness.api.exportItem({ jobId: 'clip-2', itemId: clipId, format: 'webp', outputDir, settings });
    await expect(wrong).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    // A hand edit removing everything in the top-left tile of frame 1 only.
    const fullTile = Buffer.alloc(128 * 128, 255).toString('base64');
    await harness.api.setMaskEdit({ itemId: clipId, frameIndex: 1, edit: { width: 480, height: 480, tileSizePx: 128, tiles: [{ tileX: 1, tileY: 1, add: '', remove: fullTile }] } });
    const sequence = await harness.api.exportItem({ jobId: 'clip-3', itemId: clipId, format: 'png', outputDir, settings, maxFrames: 2 });
    expect(sequence.output).toBe(join(outputDir, 'lp_d19_plainwall'));
    const files = (await readdir(sequence.output)).sort();
    const tileAlpha = async (file: string) => {
      const { data } = await sharp(join(sequence.output, file)).extract({ left: 128, top: 128, width: 128, height: 128 }).raw().toBuffer({ resolveWithObject: true });
      return Math.max(...data.filter((_, index) => index % 4 === 3));
    };
    expect(await tileAlpha(files[0]!)).toBeGreaterThan(0);
    expect(await tileAlpha(files[1]!)).toBe(0);
  });
});
