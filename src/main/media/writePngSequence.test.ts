import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasFfmpeg, makeSquareFrame, makeTempFolder, missingFfmpegReason, squareAlpha } from './testing/mediaTestKit';
import { openPngSequenceWriter } from './writePngSequence';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

describe.skipIf(!hasFfmpeg)('openPngSequenceWriter', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  beforeAll(async () => {
    folder = await makeTempFolder();
  });
  afterAll(() => folder.remove());

  async function writeSequence(target: string, count: number, name?: string) {
    const writer = await openPngSequenceWriter({ folder: target, name, width: 48, height: 32, frameCount: count });
    for (let index = 0; index < count; index++) await writer.write(makeSquareFrame(index, 48, 32));
    await writer.finish();
    return writer;
  }

  it('writes numbered straight-alpha PNGs, losslessly', async () => {
    const target = join(folder.path, 'shot');
    const writer = await writeSequence(target, 3);
    expect(await readdir(target)).toEqual(['shot_000001.png', 'shot_000002.png', 'shot_000003.png']);
    expect(writer.fileName(2)).toBe('shot_000003.png');
    const { data, info } = await sharp(join(target, 'shot_000002.png')).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    // Frame 1: the square starts at x = 2. Inside it the colour is stored unpremultiplied.
    expect([...data.subarray((10 * 48 + 5) * 4, (10 * 48 + 5) * 4 + 4)]).toEqual([255, 0, 0, squareAlpha]);
    expect(data[(10 * 48 + 40) * 4 + 3]).toBe(0);
  });

  it('replaces an existing folder only once the new sequence is complete', async () => {
    const target = join(folder.path, 'again');
    await writeSequence(target, 3, 'take%1');
    await writeSequence(target, 2, 'take%1');
    expect(await readdir(target)).toEqual(['take%1_000001.png', 'take%1_000002.png']);
    expect((await readdir(folder.path)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('never replaces a folder that holds anything but an earlier sequence of the same name', async () => {
    const target = join(folder.path, 'shared');
    await writeSequence(target, 2, 'shot');
    await writeFile(join(target, 'notes.txt'), 'keep me');
    await writeFile(join(target, '.DS_Store'), '');
    await expect(writeSequence(target, 1, 'shot')).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE', message: expect.stringContaining('“notes.txt”') });
    expect(await readdir(target)).toEqual(['.DS_Store', 'notes.txt', 'shot_000001.png', 'shot_000002.png']);
    // Frames of another name are someone else's too.
    await rm(join(target, 'notes.txt'));
    await expect(writeSequence(target, 1, 'take')).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    await writeSequence(target, 1, 'shot');
    expect(await readdir(target)).toEqual(['shot_000001.png']);
  });

  it('leaves nothing behind when cancelled', async () => {
    const listing = await readdir(folder.path);
    const controller = new AbortController();
    const writer = await openPngSequenceWriter({ folder: join(folder.path, 'cancelled'), width: 48, height: 32, signal: controller.signal });
    await writer.write(makeSquareFrame(0, 48, 32));
    controller.abort();
    await expect(writer.write(makeSquareFrame(1, 48, 32))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(folder.path)).toEqual(listing);
  });
});
