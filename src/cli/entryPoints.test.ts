/**
 * Every entry point writes through the one pipeline: for the same input and settings, CLI `cutout`, CLI `batch`,
 * CLI `video`, the studio's Export and its Batch Export dialog must produce the same bytes; the batch must include
 * the artist's hand edits. The classical tier (no model) keeps this fast; what is compared is the pipeline, not a model.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStillSettings } from '../shared/settings';
import { runBatchCommand } from './batchCommand';
import type { CliOutput } from './cliOutput';
import { runCutoutCommand } from './cutoutCommand';
import { runVideoCommand } from './videoCommand';
import { fixture, hasFixtures, missingFixturesReason } from '../main/testing/fixtures';
import { createStudioHarness, type StudioHarness } from '../main/handlers/testing/studioHarness';

if (!hasFixtures) console.warn(missingFixturesReason);

const quiet: CliOutput = { out: () => {}, err: () => {} };
const portrait = fixture('portraits/deb_grace_hopper.jpg');
const clip = fixture('clips/lp_d19_plainwall.mp4');
const settings = defaultStillSettings().refinement;
const fresh = (name: string) => mkdtemp(join(tmpdir(), `entry-${name}-`));

describe.skipIf(!hasFixtures)('one pipeline behind every entry point', () => {
  let harness: StudioHarness;
  let portraitId: string;
  let clipId: string;
  beforeAll(async () => {
    harness = createStudioHarness({ models: false });
    const opened = await harness.api.openPaths({ paths: [portrait, clip] });
    portraitId = opened.items.find((item) => item.kind === 'image')!.id;
    clipId = opened.items.find((item) => item.kind === 'clip')!.id;
  });
  afterAll(() => harness?.dispose());

  it('a still: cutout, batch, studio export and the batch dialog write the same PNG bytes under the same name', async () => {
    const folders = { cutout: await fresh('cutout'), batch: await fresh('batch'), studio: await fresh('studio'), dialog: await fresh('dialog') };
    expect(await runCutoutCommand([portrait, '--out', folders.cutout], harness.engine, quiet)).toBe(0);
    expect(await runBatchCommand([portrait, '--out', folders.batch, '--formats', 'png'], harness.engine, quiet)).toBe(0);
    const exported = await harness.api.exportItem({ jobId: 'export-still', itemId: portraitId, format: 'png', outputDir: folders.studio, settings });
    expect(exported.alphaVerified).toBe(true);
    const dialog = await harness.api.runBatch({ jobId: 'dialog-still', inputs: [portrait], outDir: folders.dialog, formats: ['png'], settings: { refinement: settings } });
    expect(dialog.written).toBe(1);
    const bytes = await Promise.all(Object.values(folders).map((folder) => readFile(join(folder, 'deb_grace_hopper.png'))));
    for (const other of bytes.slice(1)) expect(other.equals(bytes[0]!)).toBe(true);
    expect((await sharp(bytes[0]!).metadata()).channels).toBe(4);
  });

  it('a still matte: --mask-only, the batch matte format and the studio matte-png agree and are named alike', async () => {
    const folders = { cutout: await fresh('mask'), batch: await fresh('batch-matte'), studio: await fresh('studio-matte') };
    expect(await runCutoutCommand([portrait, '--out', folders.cutout, '--mask-only'], harness.engine, quiet)).toBe(0);
    expect(await runBatchCommand([portrait, '--out', folders.batch, '--formats', 'matte'], harness.engine, quiet)).toBe(0);
    await harness.api.exportItem({ jobId: 'export-matte', itemId: portraitId, format: 'matte-png', outputDir: folders.studio, settings });
    const bytes = await Promise.all(Object.values(folders).map((folder) => readFile(join(folder, 'deb_grace_hopper_matte.png'))));
    for (const other of bytes.slice(1)) expect(other.equals(bytes[0]!)).toBe(true);
    expect((await sharp(bytes[0]!).metadata()).channels).toBe(1);
  });

  it('a clip: video, batch, studio export and the batch dialog write the same PNG-sequence frames', async () => {
    const folders = { video: await fresh('video'), batch: await fresh('batch-clip'), studio: await fresh('studio-clip'), dialog: await fresh('dialog-clip') };
    expect(await runVideoCommand([clip, '--out', folders.video, '--format', 'png', '--frames', '3'], harness.engine, quiet)).toBe(0);
    expect(await runBatchCommand([clip, '--out', folders.batch, '--formats', 'png-sequence', '--frames', '3'], harness.engine, quiet)).toBe(0);
    const exported = await harness.api.exportItem({ jobId: 'export-clip', itemId: clipId, format: 'png', outputDir: folders.studio, settings, maxFrames: 3 });
    expect(exported).toMatchObject({ alphaVerified: true, frames: 3 });
    await harness.api.runBatch({ jobId: 'dialog-clip', inputs: [clip], outDir: folders.dialog, formats: ['png-sequence'], maxFrames: 3, settings: { refinement: settings } });
    const framesOf = async (folder: string) => {
      const sequence = join(folder, 'lp_d19_plainwall');
      const names = (await readdir(sequence)).sort();
      return Promise.all(names.map((name) => readFile(join(sequence, name))));
    };
    const [first, ...others] = await Promise.all(Object.values(folders).map(framesOf));
    expect(first).toHaveLength(3);
    for (const frames of others) {
      expect(frames).toHaveLength(3);
      frames.forEach((frame, index) => expect(frame.equals(first![index]!)).toBe(true));
    }
  });

  it('the batch dialog applies the hand edits of an opened picture; a batch of the bare file does not', async () => {
    const { width, height } = await sharp(portrait).metadata();
    // Paint the whole top-left 64×64 tile (backdrop) into the subject: the matte there must become fully opaque.
    const add = Buffer.alloc(64 * 64, 255).toString('base64');
    await harness.api.setMaskEdit({ itemId: portraitId, frameIndex: 0, edit: { width: width!, height: height!, tileSizePx: 64, tiles: [{ tileX: 0, tileY: 0, add, remove: '' }] } });
    const edited = await fresh('edited');
    await harness.api.runBatch({ jobId: 'dialog-edited', inputs: [portrait], outDir: edited, formats: ['matte'], settings: { refinement: settings } });
    const plain = await fresh('plain');
    expect(await runBatchCommand([portrait, '--out', plain, '--formats', 'matte'], harness.engine, quiet)).toBe(0);
    const read = async (folder: string) => (await sharp(join(folder, 'deb_grace_hopper_matte.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true })).data;
    const [withEdit, without] = await Promise.all([read(edited), read(plain)]);
    let insideMin = 255;
    let insideBefore = 255;
    let outsideDifferences = 0;
    for (let y = 0; y < height!; y++) {
      for (let x = 0; x < width!; x++) {
        const index = y * width! + x;
        if (x < 64 && y < 64) {
          insideMin = Math.min(insideMin, withEdit[index]!);
          insideBefore = Math.min(insideBefore, without[index]!);
        } else if (withEdit[index] !== without[index]) outsideDifferences++;
      }
    }
    expect(insideBefore).toBeLessThan(255); // the edit had something to add
    expect(insideMin).toBe(255);
    expect(outsideDifferences).toBe(0);
    await harness.api.setMaskEdit({ itemId: portraitId, frameIndex: 0, edit: null });
  });
});
