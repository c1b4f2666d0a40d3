import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelledSkipReason, retryFailed, type BatchItemOutcome } from '../../shared/batchTypes';
import { rejectionOf } from '../../shared/rpc/testing/contractSuite';
import { makeDiscImage } from '../testing/badInputs';
import { listFolder, writeBrokenPicture, writePictures } from '../pipeline/batch/testing/batchTestKit';
import { bodyOf, createStudioHarness, type StudioHarness } from './testing/studioHarness';

let harness: StudioHarness;
let root: string;
let inDir: string;
let outDir: string;
const items: Array<{ jobId: string; item: BatchItemOutcome }> = [];

beforeAll(() => {
  harness = createStudioHarness({ models: false });
  harness.api.on('onBatchItem', (event) => items.push(event));
});
afterAll(() => harness?.dispose());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'studio-batch-'));
  inDir = join(root, 'in');
  outDir = join(root, 'out');
  await mkdir(inDir);
  items.length = 0;
  harness.progress.length = 0;
});
afterEach(() => rm(root, { recursive: true, force: true }));

const noTemporaryFiles = async (folder: string) => expect((await listFolder(folder)).filter((name) => name.startsWith('.') || name.includes('partial'))).toEqual([]);
const trialFolders = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('matte-studio-trial-'));

describe('batch requests over the RPC (engine without models: classical tier)', () => {
  it('runs two formats over generated pictures, reports batch progress and each item as events, fails the bad file alone', async () => {
    await writePictures(inDir, ['a.png', 'b.jpg', 'c.png']);
    const broken = await writeBrokenPicture(inDir);
    const outcome = await harness.api.runBatch({ jobId: 'batch-1', inputs: [inDir], outDir, formats: ['webp', 'png'], nameTemplate: '{index}_{name}' });
    expect(outcome).toMatchObject({ total: 4, written: 6, failed: 1, cancelled: false, previews: [] });
    expect(outcome.request.formats).toEqual(['png', 'webp']);
    expect(await listFolder(outDir)).toEqual(['1_a.png', '1_a.webp', '2_b.png', '2_b.webp', '4_c.png', '4_c.webp']);
    expect(outcome.items.find((item) => item.input === broken)!.failed[0]!.error.code).toBe('UNSUPPORTED_FORMAT');
    expect((await sharp(join(outDir, '2_b.webp')).metadata()).channels).toBe(4);
    // Every item ended as an event for this job, the failure with its reason.
    expect(items.map((event) => event.jobId)).toEqual(['batch-1', 'batch-1', 'batch-1', 'batch-1']);
    expect(items.find((event) => event.item.input === broken)!.item.failed[0]!.error.message).toMatch(/broken\.png/);
    // Progress carries the batch fields; the ETA appears once an item finished; the end is `done` at 1.
    const progress = harness.progress.filter((event) => event.jobId === 'batch-1') as Array<{ itemCount?: number; itemIndex?: number; etaSec?: number; stage: string; fraction: number }>;
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((event) => event.itemCount === 4)).toBe(true);
    expect(progress.some((event) => event.itemIndex !== undefined)).toBe(true);
    expect(progress.every((event, index) => index === 0 || event.fraction >= progress[index - 1]!.fraction)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: 'done', fraction: 1, etaSec: 0 });
    expect(harness.serverErrors).toEqual([]);
  });

  it('cancelBatch stops the batch and runBatch still resolves with the partial outcome, leaving no partial file', async () => {
    await writePictures(inDir, Array.from({ length: 8 }, (_, index) => `p${index + 1}.png`), 320, 240);
    const running = harness.api.runBatch({ jobId: 'batch-cancel', inputs: [inDir], outDir, formats: ['png', 'webp'] });
    // Cancel as soon as the first item has ended: the engine is then inside the second one.
    await expect.poll(() => items.length, { interval: 1, timeout: 60_000 }).toBeGreaterThan(0);
    expect(await harness.api.cancelBatch({ jobId: 'batch-cancel' })).toEqual({ cancelled: true });
    const outcome = await running;
    expect(outcome.cancelled).toBe(true);
    expect(outcome.total).toBe(8);
    expect(outcome.items.length).toBeLessThan(8);
    const written = outcome.items.flatMap((item) => item.outputs.map((output) => output.path.slice(outDir.length + 1))).sort();
    expect(written.length).toBe(outcome.written);
    expect(await listFolder(outDir)).toEqual(written);
    await noTemporaryFiles(outDir);
    // Each item that ran was written whole, or its unwritten formats are listed as stopped by the cancel.
    for (const item of outcome.items) {
      expect(item.outputs.length + item.skipped.length).toBe(2);
      expect(item.skipped.every((skip) => skip.reason === cancelledSkipReason)).toBe(true);
    }
    expect(harness.progress.filter((event) => event.jobId === 'batch-cancel').at(-1)).toMatchObject({ stage: 'cancelled' });
    // Nothing runs any more; cancelling again (or an unknown job) says so.
    expect(await harness.api.cancelBatch({ jobId: 'batch-cancel' })).toEqual({ cancelled: false });
  });

  it('aborting the runBatch call itself also stops the batch (the caller gets CANCELLED)', async () => {
    await writePictures(inDir, Array.from({ length: 8 }, (_, index) => `p${index + 1}.png`), 320, 240);
    const controller = new AbortController();
    const running = harness.api.runBatch({ jobId: 'batch-abort', inputs: [inDir], outDir, formats: ['png'] }, { signal: controller.signal });
    await expect.poll(() => items.length, { interval: 1, timeout: 60_000 }).toBeGreaterThan(0);
    controller.abort();
    expect((await rejectionOf(running)).code).toBe('CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = (await listFolder(outDir)).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await listFolder(outDir)).length).toBe(settled);
    expect(settled).toBeLessThan(8);
    await noTemporaryFiles(outDir);
  });

  it('retries only what failed: the fixed file is written, the others are not redone', async () => {
    await writePictures(inDir, ['a.png', 'b.png']);
    const broken = await writeBrokenPicture(inDir, 'c.png');
    const first = await harness.api.runBatch({ jobId: 'batch-first', inputs: [inDir], outDir, formats: ['png', 'matte'] });
    expect(first).toMatchObject({ written: 4, failed: 1 });
    await writeFile(broken, await (await makeDiscImage(30, 20)).png().toBuffer());
    const retry = retryFailed(first)!;
    expect(retry.only).toEqual([broken]);
    const second = await harness.api.runBatch({ ...retry, jobId: 'batch-retry' });
    expect(second).toMatchObject({ total: 1, written: 2, failed: 0, cancelled: false });
    expect(second.items[0]!.outputs.map((output) => output.path)).toEqual([join(outDir, 'c.png'), join(outDir, 'c_matte.png')]);
    expect(await listFolder(outDir)).toEqual(['a.png', 'a_matte.png', 'b.png', 'b_matte.png', 'c.png', 'c_matte.png']);
    expect(retryFailed(second)).toBeUndefined();
  });

  it('a trial writes the first items into a temporary folder, serves their thumbnails, and leaves outDir untouched', async () => {
    await writePictures(inDir, ['a.png', 'b.png', 'c.png', 'd.png'], 64, 48);
    const trial = await harness.api.runBatch({ jobId: 'batch-trial', inputs: [inDir], outDir, formats: ['png', 'webp'], limit: 3, trial: true });
    expect(trial).toMatchObject({ total: 3, written: 6, cancelled: false });
    expect(existsSync(outDir)).toBe(false);
    const folder = dirname(trial.items[0]!.outputs[0]!.path);
    expect(folder).not.toBe(outDir);
    expect(await listFolder(folder)).toEqual(['a.png', 'a.webp', 'b.png', 'b.webp', 'c.png', 'c.webp']);
    expect(trial.previews.map((preview) => [preview.format, preview.path])).toEqual(trial.items.flatMap((item) => item.outputs.map((output) => [output.format, output.path])));
    const thumbnail = await harness.media(trial.previews[1]!.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['Content-Type']).toBe('image/jpeg');
    expect((await sharp(await bodyOf(thumbnail)).metadata()).width).toBe(64);
    // The next trial replaces the previous one's folder.
    const next = await harness.api.runBatch({ jobId: 'batch-trial-2', inputs: [inDir], outDir, formats: ['png'], limit: 1, trial: true });
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(next.items[0]!.outputs[0]!.path)).toBe(true);
    expect(await trialFolders()).toContain(basename(dirname(next.items[0]!.outputs[0]!.path)));
  });

  it('previews exactly the names runBatch gives, and rejects a bad template with a plain sentence', async () => {
    await writePictures(inDir, ['a.png', 'b.png']);
    const trialsBefore = await trialFolders();
    await mkdir(outDir);
    await writeFile(join(outDir, 'a_classical.png'), 'kept');
    const input = { inputs: [inDir], outDir, formats: ['png' as const, 'png-premultiplied' as const, 'prores' as const], nameTemplate: '{name}_{model}', overwrite: 'suffix' as const };
    const preview = await harness.api.previewBatchNames(input);
    expect(preview).toMatchObject({ inputCount: 2, model: 'classical' });
    expect(preview.items.map((item) => item.outputs.map((output) => output.name))).toEqual([
      ['a_classical-2.png', 'a_classical_premultiplied-2.png'],
      ['b_classical.png', 'b_classical_premultiplied.png'],
    ]);
    expect(preview.items[0]!.skipped).toEqual([{ format: 'prores', reason: 'prores is for clips, not stills.' }]);
    const outcome = await harness.api.runBatch({ ...input, jobId: 'batch-names' });
    expect(outcome.items.map((item) => item.outputs.map((output) => output.path.slice(outDir.length + 1)))).toEqual(preview.items.map((item) => item.outputs.map((output) => output.name)));
    const bad = await rejectionOf(harness.api.previewBatchNames({ ...input, nameTemplate: '{name}/{size}' }));
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/cannot contain \//) });
    expect((await rejectionOf(harness.api.runBatch({ ...input, jobId: 'batch-bad', nameTemplate: '{size}', trial: true }))).message).toMatch(/uses \{size\}, which is not one of/);
    expect((await rejectionOf(harness.api.runBatch({ ...input, jobId: 'batch-bad', formats: [] }))).message).toBe('Choose at least one format.');
    expect(await trialFolders()).toEqual(trialsBefore);
  });
});
