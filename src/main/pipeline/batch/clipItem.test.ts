import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasFfmpeg, missingFfmpegReason } from '../../media/testing/mediaTestKit';
import { verifyAlphaVideo } from '../../media/verifyAlphaVideo';
import { fixture, hasFixtures, missingFixturesReason } from '../../testing/fixtures';
import { runBatch } from './runBatch';
import { listFolder, makeWorkspace, writePictures, type BatchWorkspace } from './testing/batchTestKit';

const canRun = hasFfmpeg && hasFixtures;
if (!canRun) console.warn(hasFfmpeg ? missingFixturesReason : missingFfmpegReason);

describe.skipIf(!canRun)('runBatch: a folder with a clip and a still', () => {
  let workspace: BatchWorkspace;
  beforeEach(async () => {
    workspace = await makeWorkspace();
  });
  afterEach(async () => {
    await workspace.remove();
  });

  it('exports the clip as webm-fast with verified alpha and the still as png, each skipping the other kind', async () => {
    const { inDir, outDir, engine } = workspace;
    // Copied, not linked: a folder's links that lead outside it are not followed.
    const clip = join(inDir, 'lp_d19_plainwall.mp4');
    await copyFile(fixture('clips/lp_d19_plainwall.mp4'), clip);
    await writePictures(inDir, ['still.png']);
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webm-fast'], maxFrames: 3 });
    expect(outcome.items[0]).toMatchObject({
      input: clip,
      kind: 'clip',
      tier: 3,
      model: 'classical',
      outputs: [{ format: 'webm-fast', path: join(outDir, 'lp_d19_plainwall.webm') }],
      skipped: [{ format: 'png', reason: 'png is for stills; clips export png-sequence.' }],
      failed: [],
    });
    expect(outcome.items[1]).toMatchObject({ kind: 'image', outputs: [{ format: 'png' }], skipped: [{ format: 'webm-fast', reason: 'webm-fast is for clips, not stills.' }] });
    const check = await verifyAlphaVideo(join(outDir, 'lp_d19_plainwall.webm'));
    expect(check).toMatchObject({ alphaVerified: true, frameCount: 3, codec: 'vp9' });
    expect(await listFolder(outDir)).toEqual(['lp_d19_plainwall.webm', 'still.png']);
  });

  it('a clip that is not a video fails as a whole with a typed error, without outputs', async () => {
    const { inDir, outDir, engine } = workspace;
    await writeFile(join(inDir, 'fake.mp4'), 'not a video at all');
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['webm-fast', 'matte'], maxFrames: 2 });
    expect(outcome.items).toHaveLength(1);
    expect(outcome.items[0]!.failed).toHaveLength(1);
    expect(outcome.items[0]!.failed[0]!.format).toBeUndefined();
    expect(outcome.items[0]!.failed[0]!.error).toMatchObject({ code: 'DECODE_FAILED', message: expect.stringMatching(/fake.mp4 could not be read as a video/) });
    expect(await listFolder(outDir)).toEqual([]);
  });
});
