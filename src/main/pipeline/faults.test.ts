import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStillSettings } from '../../shared/settings';
import { createEngine } from '../engine';
import { writeBadInputs } from '../testing/badInputs';
import { cutoutBatch, type CutoutItemResult } from './cutoutBatch';

// No models here on purpose: the classical tier keeps these tests fast and shows it never fails on good input.
const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
afterAll(() => engine.dispose());

describe('bad inputs in a batch', () => {
  let paths: Record<string, string>;
  let outDir: string;
  let results: Map<string, CutoutItemResult>;

  beforeAll(async () => {
    const inputDir = await mkdtemp(join(tmpdir(), 'bad-inputs-'));
    paths = await writeBadInputs(inputDir);
    outDir = join(await mkdtemp(join(tmpdir(), 'bad-out-')), 'results');
    const list = await cutoutBatch(engine, { inputs: Object.values(paths), outDir, settings: defaultStillSettings() });
    results = new Map(list.map((result) => [result.input.split('/').pop()!, result]));
  });

  it.each([
    ['empty.png', 'FILE_EMPTY', /empty/],
    ['truncated.png', 'DECODE_FAILED', /damaged or incomplete/],
    ['truncated.jpg', 'DECODE_FAILED', /damaged or incomplete/],
    ['random.jpg', 'UNSUPPORTED_FORMAT', /not an image/],
    ['bomb.png', 'IMAGE_TOO_LARGE', /60000×60000/],
    ['missing.png', 'FILE_NOT_FOUND', /not found/],
  ])('%s fails alone with %s and a plain sentence', (name, code, message) => {
    const result = results.get(name)!;
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe(code);
    expect(result.error?.message).toMatch(message);
    expect(result.error?.message).toContain(name);
  });

  it('still writes the awkward but valid files, upright and 8-bit, with notes', async () => {
    for (const name of ['cmyk.jpg', 'sixteen-bit.png', 'rotated.jpg', 'animated.gif']) {
      const result = results.get(name)!;
      expect(result.ok, `${name}: ${result.error?.message}`).toBe(true);
      expect(result.tier).toBe(3);
      const info = await sharp(result.output!).metadata();
      expect(info.channels).toBe(4);
      expect(info.depth).toBe('uchar');
      expect([info.width, info.height]).toEqual(name === 'rotated.jpg' ? [80, 96] : [96, 80]);
    }
    expect(results.get('animated.gif')!.notes.join(' ')).toMatch(/first of 2 frames/);
    expect(results.get('cmyk.jpg')!.notes.join(' ')).toMatch(/CMYK/);
  });

  it('leaves only complete outputs behind, no partial files', async () => {
    expect((await readdir(outDir)).sort()).toEqual(['animated.png', 'cmyk.png', 'rotated.png', 'sixteen-bit.png']);
  });
});

describe('output folder problems', () => {
  it('an output path that is a file fails every item with OUTPUT_UNWRITABLE', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'unwritable-'));
    const blocker = join(folder, 'not-a-folder');
    await writeFile(blocker, 'x');
    const inputDir = await mkdtemp(join(tmpdir(), 'one-input-'));
    const { 'cmyk.jpg': input } = await writeBadInputs(inputDir);
    const [result] = await cutoutBatch(engine, { inputs: [input!], outDir: join(blocker, 'out'), settings: defaultStillSettings() });
    expect(result!.ok).toBe(false);
    expect(result!.error?.code).toBe('OUTPUT_UNWRITABLE');
  });

  it('cancelling stops the batch with CANCELLED before the next item', async () => {
    const inputDir = await mkdtemp(join(tmpdir(), 'cancel-'));
    const paths = await writeBadInputs(inputDir);
    const controller = new AbortController();
    const outDir = await mkdtemp(join(tmpdir(), 'cancel-out-'));
    const run = cutoutBatch(engine, {
      inputs: [paths['cmyk.jpg']!, paths['rotated.jpg']!],
      outDir,
      settings: defaultStillSettings(),
      onItem: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(outDir)).toEqual(['cmyk.png']);
  });
});
