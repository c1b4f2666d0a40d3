/**
 * `cutout photos --out photos/out` run twice (issue 9): the output folder sits inside the folder being expanded, and
 * what the first run wrote there must never come back as input to the second (it would cut out its own cut-outs).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFolder, makeWorkspace, writePictures, type BatchWorkspace } from '../main/pipeline/batch/testing/batchTestKit';
import { runCutoutCommand } from './cutoutCommand';

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

async function cutout(argv: string[]): Promise<Array<{ input: string; output: string | null }>> {
  const out: string[] = [];
  expect(await runCutoutCommand([...argv, '--json'], workspace.engine, { out: (line) => out.push(line), err: () => {} })).toBe(0);
  return out.map((line) => JSON.parse(line) as { input: string; output: string | null });
}

describe('an output folder inside an input folder', () => {
  it('is not walked: a second run takes only the original pictures', async () => {
    const { inDir } = workspace;
    const out = join(inDir, 'out');
    await writePictures(inDir, ['a.png', 'b.png']);
    const first = await cutout([inDir, '--out', out]);
    expect(first.map((line) => line.input)).toEqual([join(inDir, 'a.png'), join(inDir, 'b.png')]);
    const second = await cutout([inDir, '--out', out]);
    expect(second.map((line) => line.input)).toEqual([join(inDir, 'a.png'), join(inDir, 'b.png')]);
    expect(await listFolder(out)).toEqual(['a-2.png', 'a.png', 'b-2.png', 'b.png']);
  });

  it('still counts as input when named itself, or when it is the input folder (outputs beside the pictures)', async () => {
    const { inDir } = workspace;
    const out = join(inDir, 'out');
    await mkdir(out);
    await writePictures(out, ['kept.png']);
    await writePictures(inDir, ['a.png']);
    expect((await cutout([inDir, out, '--out', out])).map((line) => line.input)).toEqual([join(inDir, 'a.png'), join(out, 'kept.png')]);
    expect((await cutout([join(out, 'kept.png'), inDir, '--out', out])).map((line) => line.input)).toEqual([join(out, 'kept.png'), join(inDir, 'a.png')]);
    const besideDir = join(workspace.root, 'beside');
    await mkdir(besideDir);
    await writePictures(besideDir, ['a.png']);
    expect((await cutout([besideDir, '--out', besideDir])).map((line) => line.output)).toEqual([join(besideDir, 'a-2.png')]);
  });
});
