import { copyFile, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import type { InstalledModel } from '../../shared/modelTypes';
import { findCatalogModel } from '../models/modelCatalog';
import { computeMatte } from '../pipeline/computeMatte';
import { bundledModelsDir, hasBundledModels, missingModelsReason } from '../testing/fixtures';
import { SessionCache } from './sessionCache';

if (!hasBundledModels) console.warn(missingModelsReason);

describe.skipIf(!hasBundledModels)('bundled model integrity at load', () => {
  let folder: string;
  let sessions: SessionCache;
  let intact: InstalledModel;
  let damaged: InstalledModel;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'model-integrity-'));
    const manifest = JSON.parse(await readFile(join(bundledModelsDir, 'manifest.json'), 'utf8')) as { models: Array<{ id: string; bytes: number; sha256: string }> };
    const entry = manifest.models.find((model) => model.id === 'isnet-quint8')!;
    const spec = findCatalogModel('isnet-quint8')!;
    intact = { spec, source: 'bundled', path: join(bundledModelsDir, 'isnet-quint8.onnx'), bytes: entry.bytes, sha256: entry.sha256 };
    // A copy with one flipped byte in the middle of the weights: same size, so only the checksum can tell.
    const damagedPath = join(folder, 'isnet-quint8.onnx');
    await copyFile(intact.path, damagedPath);
    const handle = await open(damagedPath, 'r+');
    try {
      const position = Math.floor(entry.bytes / 2);
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, position);
      byte[0] = byte[0]! ^ 0x10;
      await handle.write(byte, 0, 1, position);
    } finally {
      await handle.close();
    }
    damaged = { ...intact, path: damagedPath };
    sessions = new SessionCache({ providers: ['cpu'], threads: 2, verifiedHashesFile: join(folder, 'verified.json') });
  });

  afterAll(async () => {
    await sessions?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it('fails the damaged tier with a plain reason and moves on to the next tier', async () => {
    const image: Image8 = { width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3).fill(128) };
    const result = await computeMatte(image, { best: damaged, lighter: intact }, sessions, {}, undefined, { skipQualityCheck: true });
    expect(result.tier).toBe(2);
    expect(result.model).toBe('isnet-quint8');
    expect(result.fallbackReasons).toEqual(['tier 1 (isnet-quint8): The bundled model file isnet-quint8.onnx is damaged; run “npm run provision-models”.']);
  });

  it('refuses the damaged file on every attempt, not only the first (a failed open is not cached)', async () => {
    const opened = sessions.get({ id: 'isnet-quint8', path: damaged.path, input: intact.spec.input, normalization: intact.spec.normalization, output: intact.spec.output, sha256: intact.sha256!, source: 'bundled' });
    await expect(opened).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});
