import { mkdtemp, readdir, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import { findCatalogModel } from '../models/modelCatalog';
import { bundledModelsDir, fixture, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { MattingSession, type RunnableModel } from './mattingSession';
import { resizeForModel } from './modelInput';
import { savedGraphPath } from './optimizedGraphCache';

const fp32Path = join(bundledModelsDir, 'isnet-fp32.onnx');
const hasModel = existsSync(fp32Path);
if (!hasModel) console.warn(`${missingModelsReason} (isnet-fp32.onnx is derived by it)`);
if (!hasFixtures) console.warn(missingFixturesReason);

describe('savedGraphPath', () => {
  it('names a new file when the model file changes (size or modification time) and keeps the name otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graph-key-'));
    const model = { id: 'some/model', path: join(dir, 'model.onnx') };
    await writeFile(model.path, 'first');
    const first = await savedGraphPath(join(dir, 'graphs'), model);
    expect(first).toMatch(/[/\\]graphs[/\\]some_model-[0-9a-f]{16}\.onnx$/);
    expect(await savedGraphPath(join(dir, 'graphs'), model)).toBe(first);
    await utimes(model.path, new Date(2020, 1, 1), new Date(2020, 1, 1));
    const touched = await savedGraphPath(join(dir, 'graphs'), model);
    expect(touched).not.toBe(first);
    await writeFile(model.path, 'second, longer');
    await utimes(model.path, new Date(2020, 1, 1), new Date(2020, 1, 1));
    expect(await savedGraphPath(join(dir, 'graphs'), model)).not.toBe(touched);
    expect(await savedGraphPath(join(dir, 'graphs'), { ...model, sha256: 'ab'.repeat(32) })).not.toBe(await savedGraphPath(join(dir, 'graphs'), model));
  });
});

describe.skipIf(!hasModel || !hasFixtures)('a CPU session of the bundled isnet-fp32 with a folder for optimised graphs', () => {
  const spec = findCatalogModel('isnet-fp32')!;
  const model: RunnableModel = { id: 'isnet-fp32', path: fp32Path, input: spec.input, normalization: spec.normalization, output: spec.output };
  const options = (dir: string) => ({ providers: ['cpu' as const], threads: 2, optimizedGraphsDir: dir });
  const portrait = async (): Promise<Image8> => {
    const { data, info } = await sharp(fixture('portraits/st_people_0_longhair.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
  };
  const matteOf = async (session: MattingSession, image: Image8, quality: 'full' | 'draft') => {
    const size = session.inputSize(quality);
    return session.run(await resizeForModel(image, size.width, size.height), size);
  };
  const largestDifference = (a: Float32Array, b: Float32Array) => a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);

  it('saves the optimised graph once, opens it next time, and gives the same matte at full and draft size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graphs-'));
    // Left by another key of this model (an older onnxruntime) and by a process stopped while saving; another model's stays.
    const stale = ['isnet-fp32-0123456789abcdef.onnx', 'isnet-fp32-0123456789abcdef.onnx.1-abcd.tmp', 'isnet-fp32-quint8-0123456789abcdef.onnx'];
    await Promise.all(stale.map((name) => writeFile(join(dir, name), 'old')));
    const image = await portrait();
    const first = await MattingSession.open(model, options(dir));
    const saved = await savedGraphPath(dir, model);
    try {
      expect(first.graphSource).toBe('model');
      expect((await stat(saved)).size).toBeGreaterThan(1_000_000);
      const savedName = saved.split(/[/\\]/).pop()!;
      expect((await readdir(dir)).sort()).toEqual([savedName, `${savedName}.digest`, 'isnet-fp32-quint8-0123456789abcdef.onnx'].sort());
      const second = await MattingSession.open(model, options(dir));
      try {
        expect(second.graphSource).toBe('saved-optimized');
        // The saved graph keeps the symbolic input size, so the draft quality still runs smaller.
        expect(second.inputSize('draft')).toEqual(first.inputSize('draft'));
        for (const quality of ['full', 'draft'] as const) {
          const [original, reopened] = [await matteOf(first, image, quality), await matteOf(second, image, quality)];
          expect([reopened.width, reopened.height]).toEqual([original.width, original.height]);
          expect(largestDifference(original.matte, reopened.matte)).toBeLessThan(1e-5);
          expect(original.matte.reduce((sum, value) => sum + value, 0) / original.matte.length).toBeGreaterThan(0.1); // not two empty mattes
        }
      } finally {
        await second.dispose();
      }
      // A damaged saved graph is replaced: the session opens the model and saves its graph again.
      await truncate(saved, 1000);
      const repaired = await MattingSession.open(model, options(dir));
      expect(repaired.graphSource).toBe('model');
      await repaired.dispose();
      expect((await stat(saved)).size).toBeGreaterThan(1_000_000);
      // Damaged in place among the weights, same size (it still opens, and makes wrong mattes): caught, saved again.
      const bytes = await readFile(saved);
      for (let offset = Math.floor(bytes.length / 3); offset < (2 * bytes.length) / 3; offset += 10_240) bytes[offset] = bytes[offset]! ^ 0xff;
      await writeFile(saved, bytes);
      const rebuilt = await MattingSession.open(model, options(dir));
      expect(rebuilt.graphSource).toBe('model');
      await rebuilt.dispose();
      expect((await MattingSession.open(model, options(dir)).then(async (again) => (await again.dispose(), again.graphSource)))).toBe('saved-optimized');
    } finally {
      await first.dispose();
    }
  });

  it('opens the model as usual where the folder cannot be made', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'graphs-blocked-'));
    const blocker = join(dir, 'a file');
    await writeFile(blocker, 'not a folder');
    const session = await MattingSession.open(model, options(join(blocker, 'graphs')));
    try {
      expect(session.graphSource).toBe('model');
      expect(readFileSync(blocker, 'utf8')).toBe('not a folder');
    } finally {
      await session.dispose();
    }
  });
});
