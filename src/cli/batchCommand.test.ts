import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFolder, makeWorkspace, writeBrokenPicture, writePictures, type BatchWorkspace } from '../main/pipeline/batch/testing/batchTestKit';
import { parseBatchArgs, runBatchCommand } from './batchCommand';
import { runCli } from './index';

function capture(onOut?: (line: string) => void) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: {
      out: (line: string) => {
        out.push(line);
        onOut?.(line);
      },
      err: (line: string) => err.push(line),
    },
    out,
    err,
  };
}

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

describe('matte-studio batch', () => {
  it('--json prints one object per item with outputs, skips and failures, and exits 1 when an item failed', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'c.jpg']);
    await writeBrokenPicture(inDir, 'b.png');
    const { output, out, err } = capture();
    const code = await runBatchCommand([inDir, '--out', outDir, '--formats', 'png,webp,mp4', '--name', '{name}-{format}', '--json', '--radius', '20'], engine, output);
    expect(code).toBe(1);
    const lines = out.map((line) => JSON.parse(line));
    expect(lines.map((line) => line.input)).toEqual([join(inDir, 'a.png'), join(inDir, 'b.png'), join(inDir, 'c.jpg')]);
    expect(lines[0]).toMatchObject({
      kind: 'image',
      tier: 3,
      outputs: [
        { format: 'png', path: join(outDir, 'a-png.png') },
        { format: 'webp', path: join(outDir, 'a-webp.webp') },
      ],
      skipped: [{ format: 'mp4' }],
      failed: [],
    });
    expect(lines[1]).toMatchObject({ outputs: [], failed: [{ error: { code: 'UNSUPPORTED_FORMAT' } }] });
    expect(err.join('\n')).toMatch(/^4 written, 3 not applicable, 1 failed \(3\/3 items\)/);
    expect(await listFolder(outDir)).toEqual(['a-png.png', 'a-webp.webp', 'c-png.png', 'c-webp.webp']);
  });

  it('prints a line per item and a summary, and exits 0 when everything was written', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png', 'c.png']);
    const { output, out } = capture();
    const code = await runBatchCommand([inDir, '--out', outDir, '--formats', 'matte', '--limit', '2', '--overwrite', 'skip'], engine, output);
    expect(code).toBe(0);
    expect(out).toHaveLength(3);
    // A matte is never named like a cut-out: `_matte` is part of its name wherever it is written.
    expect(out[0]!.split('\n')[0]).toMatch(/^✓ .*a\.png → .*a_matte\.png +tier 3 · classical · \d+ ms$/);
    expect(out[0]).toMatch(/Fell back: tier 1: no model is installed/);
    expect(out[2]).toMatch(/^2 written, 0 failed \(2\/2 items\)/);
    expect(await listFolder(outDir)).toEqual(['a_matte.png', 'b_matte.png']);
    // Again: the files there are kept, and the summary says so.
    const again = capture();
    expect(await runBatchCommand([inDir, '--out', outDir, '--formats', 'matte', '--limit', '2', '--overwrite', 'skip'], engine, again.output)).toBe(0);
    expect(again.out.at(-1)).toMatch(/^0 written, 2 already there, 0 failed \(2\/2 items\)/);
  });

  it('says in each item when the chosen model is not installed, and refuses a model no one has heard of', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png']);
    const { output, out } = capture();
    expect(await runBatchCommand([inDir, '--out', outDir, '--formats', 'matte', '--model', 'birefnet-general', '--json'], engine, output)).toBe(0);
    expect(JSON.parse(out[0]!).fallbackReasons[0]).toBe('the chosen model “BiRefNet general” is not installed');
    const refused = capture();
    expect(await runCli(['batch', inDir, '--out', outDir, '--formats', 'matte', '--model', 'birefnet-genral'], refused.output)).toBe(2);
    expect(refused.err[0]).toMatch(/^There is no model "birefnet-genral": `matte-studio models` lists the installed and known ones/);
  });

  it('says so when --out is a file, lies under one or below /proc, and writes nothing', async () => {
    const { inDir, engine } = workspace;
    const [picture] = await writePictures(inDir, ['a.png']);
    for (const [out, message] of [
      [picture!, `Cannot write the results into ${picture!}: it is a file, not a folder.`],
      [join(picture!, 'results'), `Cannot write the results into ${join(picture!, 'results')}: part of that path is a file, not a folder.`],
      // Node's own recursive mkdir never returned here, and every later job queued behind it.
      ...(process.platform === 'linux'
        ? [['/proc/matte-studio-out/results', 'Cannot make the folder /proc/matte-studio-out/results: that place does not accept new folders.'] as const]
        : []),
    ] as const) {
      const { output, out: lines } = capture();
      expect(await runBatchCommand([inDir, '--out', out, '--formats', 'matte', '--json'], engine, output)).toBe(1);
      expect(JSON.parse(lines[0]!).failed[0].error).toMatchObject({ code: 'OUTPUT_UNWRITABLE', message });
    }
    expect(await listFolder(inDir)).toEqual(['a.png']);
  });

  // Root may write anywhere, so a folder without write permission only refuses other users.
  it.runIf(process.getuid?.() !== 0)('refuses an output folder it may not write into before running the model on any item', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png']);
    await mkdir(outDir, { recursive: true });
    await chmod(outDir, 0o555);
    try {
      const { output, out: lines } = capture();
      expect(await runBatchCommand([inDir, '--out', outDir, '--formats', 'png', '--json'], engine, output)).toBe(1);
      const outcome = JSON.parse(lines[0]!);
      expect(outcome.failed[0].error).toMatchObject({ code: 'OUTPUT_UNWRITABLE', message: `Cannot write the results into ${outDir}: permission denied.` });
      expect(outcome.tier).toBeNull();
    } finally {
      await chmod(outDir, 0o755);
    }
  });

  it('exits 130 when cancelled (Ctrl+C), after the items already written', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.png', 'c.png']);
    const controller = new AbortController();
    const { output, err } = capture(() => controller.abort());
    const code = await runBatchCommand([inDir, '--out', outDir, '--formats', 'png'], engine, output, controller.signal);
    expect(code).toBe(130);
    expect(err.at(-1)).toBe('Cancelled.');
    expect(await listFolder(outDir)).toEqual(['a.png']);
  });

  it('exits 2 with a plain message for bad usage', async () => {
    for (const [argv, message] of [
      [['batch', 'a.png', '--formats', 'png'], /--out <dir>/],
      [['batch', 'a.png', '--out', 'x'], /--formats/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png,gif'], /Unknown format "gif"/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--name', '{name}-{size}'], /\{size\}, which is not one of/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--name', '../{name}'], /cannot contain \/ or \\/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--overwrite', 'never'], /--overwrite must be one of skip, overwrite, suffix/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--concurrency', '9'], /concurrency/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--limit', 'three'], /--limit needs a positive whole number/],
      [['batch', 'a.png', '--out', 'x', '--formats', 'png', '--mask-only'], /--formats png-premultiplied or --formats matte/],
    ] as const) {
      const { output, err } = capture();
      expect(await runCli([...argv], output)).toBe(2);
      expect(err.join('\n')).toMatch(message);
    }
  });

  it('parses every flag into the request', () => {
    const { request, json } = parseBatchArgs(['x', 'y', '--out', 'o', '--formats', 'webm,png', '--name', '{index}', '--overwrite', 'overwrite', '--concurrency', '2', '--limit', '3', '--frames', '4', '--background', '#00ff00', '--spill', '0.5']);
    expect(json).toBe(false);
    expect(request).toMatchObject({ inputs: ['x', 'y'], outDir: 'o', formats: ['png', 'webm'], nameTemplate: '{index}', overwrite: 'overwrite', concurrency: 2, limit: 3, maxFrames: 4, background: '#00ff00' });
    expect(request.settings.refinement.spillStrength).toBe(0.5);
  });
});
