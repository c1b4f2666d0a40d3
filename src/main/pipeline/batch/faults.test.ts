import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryFailed } from '../../../shared/batchTypes';
import { makeDiscImage } from '../../testing/badInputs';
import { runBatch } from './runBatch';
import { listFolder, makeWorkspace, writeBrokenPicture, writePictures, type BatchWorkspace } from './testing/batchTestKit';

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

const noHiddenFiles = async (folder: string) => expect((await listFolder(folder)).filter((name) => name.startsWith('.') || name.includes('partial'))).toEqual([]);

describe('runBatch: cancel', () => {
  it('stops after the item whose onItem aborted: resolves with cancelled and what was written', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png', 'c.png']);
    const controller = new AbortController();
    const seen: string[] = [];
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp'] }, {
      signal: controller.signal,
      onItem: (item) => {
        seen.push(item.input);
        controller.abort();
      },
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.items).toHaveLength(1);
    expect(outcome).toMatchObject({ total: 3, written: 2, failed: 0 });
    expect(seen).toEqual([join(inDir, 'a.png')]);
    expect(await listFolder(outDir)).toEqual(['a.png', 'a.webp']);
  });

  it('a cancel while the second item is matting leaves no file of it and only complete files of the first', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png', 'c.png']);
    const controller = new AbortController();
    let firstBytes: Buffer | undefined;
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp'] }, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.itemIndex === 1 && progress.stage === 'matting') controller.abort();
      },
      onItem: (item) => {
        const png = item.outputs.find((output) => output.format === 'png');
        if (item.input.endsWith('a.png') && png) firstBytes = readFileSync(png.path);
      },
    });
    expect(outcome.cancelled).toBe(true);
    // The stages overlap: the first item may have been writing when the cancel came. What it wrote is complete and
    // listed; what it did not write is listed as cancelled; the second item wrote nothing.
    const [first, second] = outcome.items;
    expect(first!.outputs.length + first!.skipped.length).toBe(2);
    expect(second?.outputs ?? []).toEqual([]);
    expect(outcome.failed).toBe(0);
    expect(await listFolder(outDir)).toEqual(first!.outputs.map((output) => output.path.split('/').pop()).sort());
    if (first!.outputs.some((output) => output.format === 'png')) {
      expect(firstBytes?.subarray(1, 4).toString()).toBe('PNG');
      expect(await readFile(join(outDir, 'a.png'))).toEqual(firstBytes);
    }
    await noHiddenFiles(outDir);
  });

  it('a cancel between two formats of an item keeps the format already written and nothing partial', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png']);
    const controller = new AbortController();
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp'] }, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.itemIndex === 1 && progress.stage === 'writing webp') controller.abort();
      },
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.items[1]).toMatchObject({ outputs: [{ format: 'png', path: join(outDir, 'b.png') }], skipped: [{ format: 'webp' }] });
    expect(await listFolder(outDir)).toEqual(['a.png', 'a.webp', 'b.png']);
  });

  it('an already-cancelled signal runs nothing and still resolves', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png']);
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png'] }, { signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ cancelled: true, items: [], total: 1, written: 0 });
  });
});

describe('runBatch: a failing output', () => {
  it('a disk-full output fails that format with DISK_FULL and stops the batch; the rest is listed for a retry', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png']);
    await mkdir(outDir);
    await symlink('/dev/full', join(outDir, 'a.webp'));
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp'], overwrite: 'overwrite' });
    expect(outcome.items[0]).toMatchObject({
      outputs: [{ format: 'png', path: join(outDir, 'a.png') }],
      failed: [{ format: 'webp', error: { code: 'DISK_FULL', message: expect.stringMatching(/disk is full/) } }],
    });
    // Matting the rest would only fill the disk further: the batch stops and says why.
    expect(outcome.items[1]).toMatchObject({ outputs: [], failed: [{ error: { code: 'DISK_FULL' } }] });
    expect(outcome).toMatchObject({ written: 1, failed: 2, cancelled: false, stoppedReason: expect.stringMatching(/disk is full/) });
    expect((await lstat(join(outDir, 'a.webp'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(outDir, 'a.webp'))).toBe('/dev/full');
    await noHiddenFiles(outDir);

    const retry = retryFailed(outcome)!;
    expect(retry).toMatchObject({ only: [join(inDir, 'a.png'), join(inDir, 'b.png')], formats: ['png', 'webp'], outDir, overwrite: 'overwrite' });
  });

  it('an output folder that cannot be created fails every item with OUTPUT_UNWRITABLE', async () => {
    const { inDir, root, engine } = workspace;
    await writePictures(inDir, ['a.png']);
    await writeFile(join(root, 'file'), 'not a folder');
    const outcome = await runBatch(engine, { inputs: [inDir], outDir: join(root, 'file', 'out'), formats: ['png'] });
    expect(outcome.items[0]!.failed[0]!.error.code).toBe('OUTPUT_UNWRITABLE');
    expect(outcome.failed).toBe(1);
  });
});

describe('retryFailed', () => {
  it('builds a request for only the failed items and runs it under the same names', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'c.png']);
    const broken = await writeBrokenPicture(inDir, 'b.png');
    const first = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp', 'mp4'], nameTemplate: '{index}-{name}' });
    expect(first.failed).toBe(1);
    expect(retryFailed({ ...first, items: first.items.filter((item) => item.input !== broken) })).toBeUndefined();

    const retry = retryFailed(first)!;
    expect(retry).toMatchObject({ inputs: [inDir], only: [broken], formats: ['png', 'webp'], nameTemplate: '{index}-{name}' });
    expect(retry.limit).toBeUndefined();
    await (await makeDiscImage(30, 30)).png().toFile(broken);
    const second = await runBatch(engine, retry);
    expect(second.items.map((item) => item.input)).toEqual([broken]);
    expect(second.failed).toBe(0);
    expect(second.items[0]!.outputs.map((output) => output.path)).toEqual([join(outDir, '2-b.png'), join(outDir, '2-b.webp')]);
    expect(existsSync(join(outDir, '1-a-2.png'))).toBe(false);
  });
});
