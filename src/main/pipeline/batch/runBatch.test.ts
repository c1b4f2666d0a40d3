import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkNameTemplate, parseBatchRequest, type BatchProgress } from '../../../shared/batchTypes';
import { runBatch } from './runBatch';
import { listFolder, makeWorkspace, writeBrokenPicture, writePictures, type BatchWorkspace } from './testing/batchTestKit';

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

async function rawPixels(path: string) {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels, width: info.width, height: info.height };
}

describe('runBatch: formats and names', () => {
  it('writes two still formats per picture from a template, skips clip formats, fails the bad file alone', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png', 'b.jpg', 'c.png']);
    const broken = await writeBrokenPicture(inDir);
    const progress: BatchProgress[] = [];
    const outcome = await runBatch(
      engine,
      { inputs: [inDir], outDir, formats: ['png', 'webp', 'prores'], nameTemplate: '{index}-{name}-{format}' },
      { onProgress: (report) => progress.push(report) },
    );
    expect(outcome.items.map((item) => item.input)).toEqual([join(inDir, 'a.png'), join(inDir, 'b.jpg'), broken, join(inDir, 'c.png')]);
    expect(outcome.items[0]).toMatchObject({
      kind: 'image',
      tier: 3,
      model: 'classical',
      outputs: [
        { format: 'png', path: join(outDir, '1-a-png.png') },
        { format: 'webp', path: join(outDir, '1-a-webp.webp') },
      ],
      skipped: [{ format: 'prores', reason: 'prores is for clips, not stills.' }],
      failed: [],
    });
    expect(outcome.items[2]).toMatchObject({ kind: 'image', outputs: [], tier: null, failed: [{ error: { code: 'UNSUPPORTED_FORMAT' } }] });
    expect(outcome.items[2]!.failed[0]!.format).toBeUndefined();
    expect(outcome).toMatchObject({ total: 4, written: 6, skipped: 4, failed: 1, cancelled: false });
    expect(await listFolder(outDir)).toEqual(['1-a-png.png', '1-a-webp.webp', '2-b-png.png', '2-b-webp.webp', '4-c-png.png', '4-c-webp.webp']);
    // WebP is lossless with alpha: exactly the straight-alpha PNG, colour under transparent pixels included.
    const png = await rawPixels(join(outDir, '2-b-png.png'));
    const webp = await rawPixels(join(outDir, '2-b-webp.webp'));
    expect(png.channels).toBe(4);
    expect(webp.channels).toBe(4);
    expect(Buffer.compare(webp.data, png.data)).toBe(0);
    const alphas = new Set(Array.from({ length: png.width * png.height }, (_, pixel) => png.data[pixel * 4 + 3]));
    expect(alphas.has(0) && alphas.has(255)).toBe(true);
    // Progress: per item with its index, ETA once an item finished, ending at 1.
    expect(progress.at(-1)).toMatchObject({ stage: 'done', fraction: 1, itemCount: 4 });
    expect(progress.every((report, index) => index === 0 || report.fraction >= progress[index - 1]!.fraction)).toBe(true);
  });

  it('gives same-extension formats distinct names; premultiplied and matte agree with the straight PNG', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png']);
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['matte', 'png-premultiplied', 'png'] });
    expect(outcome.items[0]!.outputs).toEqual([
      { format: 'png', path: join(outDir, 'a.png') },
      { format: 'png-premultiplied', path: join(outDir, 'a_premultiplied.png') },
      { format: 'matte', path: join(outDir, 'a_matte.png') },
    ]);
    const straight = await rawPixels(join(outDir, 'a.png'));
    const premultiplied = await rawPixels(join(outDir, 'a_premultiplied.png'));
    expect(await sharp(join(outDir, 'a_matte.png')).metadata()).toMatchObject({ channels: 1, space: 'b-w' });
    const matte = { data: await sharp(join(outDir, 'a_matte.png')).extractChannel(0).raw().toBuffer() };
    let worst = 0;
    for (let pixel = 0; pixel < straight.width * straight.height; pixel++) {
      const alpha = straight.data[pixel * 4 + 3]!;
      expect(matte.data[pixel]).toBe(alpha);
      for (let channel = 0; channel < 3; channel++) {
        worst = Math.max(worst, Math.abs(premultiplied.data[pixel * 4 + channel]! - (straight.data[pixel * 4 + channel]! * alpha) / 255));
      }
    }
    expect(worst).toBeLessThanOrEqual(1.5);
  });

  it('fills {model} and {date}, pads {index} to the batch size, and keeps whole-batch indices under limit', async () => {
    const { inDir, outDir, engine } = workspace;
    const names = Array.from({ length: 10 }, (_, index) => `p${index + 1}.png`);
    await writePictures(inDir, names, 24, 20);
    const outcome = await runBatch(
      engine,
      { inputs: [inDir], outDir, formats: ['png'], nameTemplate: '{index}_{name}_{model}_{date}', limit: 3 },
      { date: new Date(2024, 0, 5, 12) },
    );
    expect(outcome.total).toBe(3);
    expect(outcome.items.map((item) => item.input)).toEqual([join(inDir, 'p1.png'), join(inDir, 'p2.png'), join(inDir, 'p3.png')]);
    expect(await listFolder(outDir)).toEqual(['01_p1_classical_2024-01-05.png', '02_p2_classical_2024-01-05.png', '03_p3_classical_2024-01-05.png']);
  });

  it('runs only the listed items with `only`, concurrently when asked, reporting them in input order', async () => {
    const { inDir, outDir, engine } = workspace;
    const paths = await writePictures(inDir, ['a.png', 'b.png', 'c.png', 'd.png']);
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png'], only: [paths[3]!, paths[1]!], concurrency: 2 });
    expect(outcome.items.map((item) => item.input)).toEqual([paths[1], paths[3]]);
    expect(await listFolder(outDir)).toEqual(['b.png', 'd.png']);
  });
});

describe('runBatch: overwrite policies', () => {
  const old = Buffer.from('an older file the user keeps');

  async function prepare() {
    const { inDir, outDir } = workspace;
    await writePictures(inDir, ['a.png']);
    await mkdir(join(inDir, 'more'));
    await writePictures(join(inDir, 'more'), ['a.jpg']);
    await mkdir(outDir);
    await writeFile(join(outDir, 'a.png'), old);
  }

  it('skip leaves the existing file byte-identical and says so', async () => {
    await prepare();
    const { inDir, outDir, engine } = workspace;
    const outcome = await runBatch(engine, { inputs: [join(inDir, 'a.png')], outDir, formats: ['png', 'webp'], overwrite: 'skip' });
    expect(outcome.items[0]).toMatchObject({ outputs: [{ format: 'webp', path: join(outDir, 'a.webp') }], skipped: [{ format: 'png', reason: 'a.png already exists.' }] });
    expect(await readFile(join(outDir, 'a.png'))).toEqual(old);
  });

  it('overwrite replaces the existing file with the new result', async () => {
    await prepare();
    const { inDir, outDir, engine } = workspace;
    const outcome = await runBatch(engine, { inputs: [join(inDir, 'a.png')], outDir, formats: ['png'], overwrite: 'overwrite' });
    expect(outcome.items[0]!.outputs).toEqual([{ format: 'png', path: join(outDir, 'a.png') }]);
    expect((await sharp(join(outDir, 'a.png')).metadata()).channels).toBe(4);
    expect(await listFolder(outDir)).toEqual(['a.png']);
  });

  it('suffix adds -2 past the existing file and -3 for a same-named input in the run, one stem per item', async () => {
    await prepare();
    const { inDir, outDir, engine } = workspace;
    const outcome = await runBatch(engine, { inputs: [inDir], outDir, formats: ['png', 'webp'], overwrite: 'suffix' });
    expect(outcome.items.map((item) => item.outputs.map((output) => output.path))).toEqual([
      [join(outDir, 'a-2.png'), join(outDir, 'a-2.webp')],
      [join(outDir, 'a-3.png'), join(outDir, 'a-3.webp')],
    ]);
    expect(await readFile(join(outDir, 'a.png'))).toEqual(old);
    expect(await listFolder(outDir)).toEqual(['a-2.png', 'a-2.webp', 'a-3.png', 'a-3.webp', 'a.png']);
  });
});

describe('name templates', () => {
  it('accepts the known tokens and rejects unknown tokens, separators, .. and stray braces with a plain message', () => {
    expect(checkNameTemplate('{name}-{index}-{model}-{date}-{format}')).toBeUndefined();
    const cases: Array<[string, RegExp]> = [
      ['{nam}', /uses \{nam\}, which is not one of \{name\}, \{index\}/],
      ['out/{name}', /cannot contain \/ or \\/],
      ['out\\{name}', /cannot contain \/ or \\/],
      ['{name}..x', /cannot contain "\.\."/],
      ['{name', /\{ or \} that does not belong/],
      ['   ', /empty/],
    ];
    for (const [template, message] of cases) {
      expect(checkNameTemplate(template)).toMatch(message);
      expect(() => parseBatchRequest({ inputs: ['a.png'], outDir: 'out', formats: ['png'], nameTemplate: template })).toThrow(message);
    }
  });

  it('runBatch rejects a bad request with INVALID_INPUT before writing anything', async () => {
    const { inDir, outDir, engine } = workspace;
    await writePictures(inDir, ['a.png']);
    await expect(runBatch(engine, { inputs: [inDir], outDir, formats: ['png'], nameTemplate: '{name}-{size}' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/\{size\}/) });
    await expect(runBatch(engine, { inputs: [inDir], outDir, formats: ['gif' as 'png'] })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Unknown format/) });
    await expect(listFolder(outDir)).rejects.toThrow();
  });
});
