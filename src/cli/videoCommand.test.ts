import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFolder, makeWorkspace, writePictures, type BatchWorkspace } from '../main/pipeline/batch/testing/batchTestKit';
import { runVideoCommand } from './videoCommand';

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

describe('matte-studio video', () => {
  it('skips a picture it was given, and fails (exit 1) when that leaves no clip at all', async () => {
    const { inDir, outDir, engine } = workspace;
    const [picture] = await writePictures(inDir, ['still.png']);
    const out: string[] = [];
    const code = await runVideoCommand([picture!, '--out', outDir, '--format', 'webm-fast'], engine, { out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/still\.png: skipped \(webm-fast is for clips, not stills\.\)/);
    expect(out.at(-1)).toBe('No clips found in the given inputs.');
    expect(await listFolder(outDir)).toEqual([]);
  });
});
