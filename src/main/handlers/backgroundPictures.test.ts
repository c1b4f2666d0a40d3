import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { rejectionOf } from '../../shared/rpc/testing/contractSuite';
import { runFfmpeg } from '../media/runFfmpeg';
import { hasFfmpeg, missingFfmpegReason } from '../media/testing/mediaTestKit';
import { decodeFrames } from '../media/decodeFrames';
import { BackgroundPictures, keptBackgroundPictures } from './backgroundPictures';
import { createStudioHarness, type StudioHarness } from './testing/studioHarness';

const solid = (red: number, green: number, blue: number, width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: { r: red, g: green, b: blue } } }).png().toBuffer();

describe('background pictures the renderer sends', () => {
  let folder: string;
  let pictures: BackgroundPictures;
  beforeAll(async () => {
    folder = join(await mkdtemp(join(tmpdir(), 'background-pictures-')), 'backgrounds');
    pictures = new BackgroundPictures(folder);
  });

  it('keeps the bytes unchanged under a name from their content, and reuses it when the picture comes again', async () => {
    const bytes = await solid(200, 10, 10);
    const first = await pictures.store('red.png', bytes);
    expect(first).toMatchObject({ width: 40, height: 30 });
    expect(first.path.startsWith(folder)).toBe(true);
    expect(first.path.endsWith('.png')).toBe(true);
    expect(Buffer.compare(await readFile(first.path), bytes)).toBe(0);
    expect((await pictures.store('other name.png', bytes)).path).toBe(first.path);
    // A JPEG named .png is kept as what it is.
    const jpeg = await sharp(bytes).jpeg().toBuffer();
    expect((await pictures.store('looks like.png', jpeg)).path.endsWith('.jpg')).toBe(true);
  });

  it('refuses what is not a picture in words that name the file, and leaves nothing behind', async () => {
    const before = await readdir(folder);
    const garbage = await rejectionOf(pictures.store('holiday.jpg', Buffer.from('not a picture at all')));
    expect(garbage.message).toContain('holiday.jpg');
    const svg = await rejectionOf(pictures.store('logo.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')));
    expect(svg.code).toBe('UNSUPPORTED_FORMAT');
    expect((await rejectionOf(pictures.store('empty.png', Buffer.alloc(0)))).code).toBe('FILE_EMPTY');
    // A name with folders in it stays a name: nothing is written outside the folder.
    await pictures.store('../../escape.png', await solid(1, 2, 3));
    expect((await readdir(join(folder, '..'))).sort()).toEqual(['backgrounds']);
    const after = await readdir(folder);
    expect(after.filter((name) => name.startsWith('.incoming-'))).toEqual([]);
    expect(after.length).toBe(before.length + 1);
  });

  it('keeps only the most recently chosen pictures', async () => {
    const own = new BackgroundPictures(join(await mkdtemp(join(tmpdir(), 'background-pictures-')), 'backgrounds'));
    const paths: string[] = [];
    for (let index = 0; index < keptBackgroundPictures + 2; index++) paths.push((await own.store(`p${index}.png`, await solid(index * 10, 0, 0))).path);
    // Choosing the first survivor again makes it the newest.
    await own.store('again.png', await readFile(paths[2]!));
    await own.store('last.png', await solid(250, 0, 0));
    const kept = (await readdir(own.folder)).map((name) => join(own.folder, name)).sort();
    expect(kept).toHaveLength(keptBackgroundPictures);
    expect(kept).toContain(paths[2]);
    expect(kept).not.toContain(paths[3]);
    expect(kept).toContain(paths.at(-1));
  });

  it('tells an export over a picture that is no longer kept to choose it again, and lets colours and other files through', async () => {
    const own = new BackgroundPictures(join(await mkdtemp(join(tmpdir(), 'background-pictures-')), 'backgrounds'));
    const { path } = await own.store('wall.png', await solid(5, 6, 7));
    await expect(own.assertStillKept(path)).resolves.toBeUndefined();
    for (const other of [undefined, '#00b140', '/photos/beach.jpg']) await expect(own.assertStillKept(other)).resolves.toBeUndefined();
    await rm(path);
    const error = await rejectionOf(own.assertStillKept(path));
    expect([error.code, error.message]).toEqual(['FILE_NOT_FOUND', expect.stringContaining('choose it again under View › On picture')]);
  });
});

if (!hasFfmpeg) console.warn(missingFfmpegReason);

describe.skipIf(!hasFfmpeg)('an MP4 composite exported over a picture the renderer sent (classical tier, ffmpeg)', () => {
  let harness: StudioHarness;
  let folder: string;
  let clipId: string;
  let oddClipId: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'background-export-'));
    // A light frame with a dark block in the middle: its corners are background for any matte.
    const clip = join(folder, 'block.mp4');
    await runFfmpeg(['-f', 'lavfi', '-i', 'color=c=0xe0e0e0:s=96x64:r=25:d=0.2', '-vf', 'drawbox=x=32:y=16:w=32:h=32:color=0x202020:t=fill', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip]);
    // The same at an odd size (PNG frames in a .mov: H.264 in 4:2:0 cannot hold odd sizes).
    const oddClip = join(folder, 'odd.mov');
    await runFfmpeg(['-f', 'lavfi', '-i', 'color=c=0xe0e0e0:s=95x63:r=25:d=0.2,format=rgb24', '-vf', 'drawbox=x=32:y=16:w=32:h=32:color=0x202020:t=fill', '-c:v', 'png', '-y', oddClip]);
    harness = createStudioHarness({ models: false });
    [clipId, oddClipId] = (await harness.api.openPaths({ paths: [clip, oddClip] })).items.map((item) => item.id) as [string, string];
  });
  afterAll(() => harness?.dispose());

  async function firstFrameOf(output: string): Promise<Image8> {
    for await (const frame of decodeFrames(output, { maxFrames: 1 })) return frame.image;
    throw new Error(`no frame in ${output}`);
  }
  const cornerOf = async (output: string) => [...(await firstFrameOf(output)).data.subarray(0, 3)];

  it('lays the clip over the picture, where a colour background gives the colour', async () => {
    const settings = refinementSettingsSchema.parse({});
    const stored = await harness.api.storeBackgroundPicture({ name: 'red.png', base64: (await solid(220, 20, 20, 300, 200)).toString('base64') });
    expect(stored).toMatchObject({ width: 300, height: 200 });
    const overPicture = await harness.api.exportItem({ jobId: 'picture', itemId: clipId, format: 'mp4', outputDir: join(folder, 'out'), settings, background: stored.path, maxFrames: 2 });
    const overColour = await harness.api.exportItem({ jobId: 'colour', itemId: clipId, format: 'mp4', outputDir: join(folder, 'out'), settings, background: '#1414dc', maxFrames: 2 });
    const [red, green, blue] = await cornerOf(overPicture.output);
    expect(red).toBeGreaterThan(180);
    expect(Math.max(green!, blue!)).toBeLessThan(60);
    const colour = await cornerOf(overColour.output);
    expect(colour[2]).toBeGreaterThan(180);
    expect(colour[0]).toBeLessThan(60);
  });

  it('pads an odd-size clip to even with the picture, not a black line', async () => {
    const settings = refinementSettingsSchema.parse({});
    const stored = await harness.api.storeBackgroundPicture({ name: 'red.png', base64: (await solid(220, 20, 20, 300, 200)).toString('base64') });
    const exported = await harness.api.exportItem({ jobId: 'odd', itemId: oddClipId, format: 'mp4', outputDir: join(folder, 'odd-out'), settings, background: stored.path, maxFrames: 2 });
    const frame = await firstFrameOf(exported.output);
    expect([frame.width, frame.height]).toEqual([96, 64]);
    // The added last column and row, bottom right included: the picture's red.
    for (const [x, y] of [[95, 0], [95, 30], [0, 63], [50, 63], [95, 63]] as const) {
      const offset = (y * frame.width + x) * 3;
      expect(frame.data[offset]).toBeGreaterThan(170);
      expect(Math.max(frame.data[offset + 1]!, frame.data[offset + 2]!)).toBeLessThan(70);
    }
  });

  it('refuses bytes that are no picture, naming the file', async () => {
    const error = await rejectionOf(harness.api.storeBackgroundPicture({ name: 'notes.png', base64: Buffer.from('plain text').toString('base64') }));
    expect(error.message).toContain('notes.png');
  });
});
