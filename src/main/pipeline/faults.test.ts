import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStillSettings } from '../../shared/settings';
import { createEngine } from '../engine';
import { writeBadInputs } from '../testing/badInputs';
import type { BatchItemOutcome } from '../../shared/batchTypes';
import { runBatch } from './batch/runBatch';

// No models here on purpose: the classical tier keeps these tests fast and shows it never fails on good input.
const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
afterAll(() => engine.dispose());

describe('bad inputs in a batch', () => {
  let paths: Record<string, string>;
  let outDir: string;
  let results: Map<string, BatchItemOutcome>;

  beforeAll(async () => {
    const inputDir = await mkdtemp(join(tmpdir(), 'bad-inputs-'));
    paths = await writeBadInputs(inputDir);
    outDir = join(await mkdtemp(join(tmpdir(), 'bad-out-')), 'results');
    const outcome = await runBatch(engine, { inputs: Object.values(paths), outDir, formats: ['png'], kinds: ['image'], settings: defaultStillSettings() });
    results = new Map(outcome.items.map((result) => [result.input.split('/').pop()!, result]));
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
    expect(result.outputs).toEqual([]);
    const error = result.failed[0]?.error;
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain(name);
  });

  it('still writes the awkward but valid files, upright and 8-bit, with notes', async () => {
    for (const name of ['cmyk.jpg', 'sixteen-bit.png', 'rotated.jpg', 'animated.gif']) {
      const result = results.get(name)!;
      expect(result.failed, name).toEqual([]);
      expect(result.tier).toBe(3);
      const info = await sharp(result.outputs[0]!.path).metadata();
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
    const { items } = await runBatch(engine, { inputs: [input!], outDir: join(blocker, 'out'), formats: ['png'], settings: defaultStillSettings() });
    expect(items[0]!.outputs).toEqual([]);
    expect(items[0]!.failed[0]?.error.code).toBe('OUTPUT_UNWRITABLE');
  });

  it('cancelling stops the batch before the next item and says so', async () => {
    const inputDir = await mkdtemp(join(tmpdir(), 'cancel-'));
    const paths = await writeBadInputs(inputDir);
    const controller = new AbortController();
    const outDir = await mkdtemp(join(tmpdir(), 'cancel-out-'));
    const outcome = await runBatch(
      engine,
      { inputs: [paths['cmyk.jpg']!, paths['rotated.jpg']!], outDir, formats: ['png'], settings: defaultStillSettings() },
      { onItem: () => controller.abort(), signal: controller.signal },
    );
    expect(outcome.cancelled).toBe(true);
    expect(await readdir(outDir)).toEqual(['cmyk.png']);
  });
});
