import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { defaultBundledModelsDir, defaultUserModelsDir, ModelStore } from './modelStore';
import { readUserIndex, userIndexFileName } from './userModelIndex';

let root: string;
let bundledDir: string;
let userDir: string;
let warnings: string[];

/** A bundled folder like the provisioning script writes, with stand-in files of the stated sizes. */
async function writeBundled(models: { id: string; file: string; bytes: number; actualBytes?: number }[]): Promise<void> {
  await mkdir(bundledDir, { recursive: true });
  for (const model of models) await writeFile(join(bundledDir, model.file), Buffer.alloc(model.actualBytes ?? model.bytes));
  const manifest = { version: 1, models: models.map(({ id, file, bytes }) => ({ id, file, bytes, sha256: 'a'.repeat(64), licence: 'AGPL-3.0' })) };
  await writeFile(join(bundledDir, 'manifest.json'), JSON.stringify(manifest));
}

async function writeUserFile(file: string, bytes: number): Promise<void> {
  await mkdir(userDir, { recursive: true });
  await writeFile(join(userDir, file), Buffer.alloc(bytes, 7));
}

const newStore = () => new ModelStore({ bundledDir, userDir, warn: (message) => warnings.push(message) });
const ids = (models: { spec: { id: string } }[]) => models.map((model) => model.spec.id);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'matte-store-'));
  bundledDir = join(root, 'bundled');
  userDir = join(root, 'user');
  warnings = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ModelStore.listModels', () => {
  it('lists bundled models from the manifest and everything downloadable as available', async () => {
    await writeBundled([{ id: 'isnet-fp16', file: 'isnet-fp16.onnx', bytes: 20 }, { id: 'isnet-quint8', file: 'isnet-quint8.onnx', bytes: 10 }]);
    const listing = await newStore().listModels();
    expect(listing.installed.map((model) => [model.spec.id, model.source, model.bytes, model.path])).toEqual([
      ['isnet-fp16', 'bundled', 20, join(bundledDir, 'isnet-fp16.onnx')],
      ['isnet-quint8', 'bundled', 10, join(bundledDir, 'isnet-quint8.onnx')],
    ]);
    expect(listing.available.map((spec) => spec.id)).toContain('birefnet-general');
    expect(listing.available.map((spec) => spec.id)).not.toContain('isnet-fp16');
    expect(warnings).toEqual([]);
  });

  it('leaves out a bundled file whose size does not match the manifest, with a warning', async () => {
    await writeBundled([{ id: 'isnet-fp16', file: 'isnet-fp16.onnx', bytes: 20, actualBytes: 19 }]);
    expect((await newStore().listModels()).installed).toEqual([]);
    expect(warnings.join('\n')).toMatch(/19 bytes, expected 20/);
  });

  it('has no bundled models and no warning when there is no manifest', async () => {
    expect((await newStore().listModels()).installed).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('registers a catalogue file dropped into the user folder and forgets it once deleted', async () => {
    await writeUserFile('birefnet-general.onnx', 30);
    const store = newStore();
    const listing = await store.listModels();
    expect(listing.installed.map((model) => [model.spec.id, model.source, model.bytes])).toEqual([['birefnet-general', 'downloaded', 30]]);
    expect(listing.available.map((spec) => spec.id)).not.toContain('birefnet-general');
    const { index } = await readUserIndex(userDir, () => {});
    expect(index.models.map((entry) => [entry.id, entry.sha256?.length])).toEqual([['birefnet-general', 64]]);

    await rm(join(userDir, 'birefnet-general.onnx'));
    expect((await store.listModels()).installed).toEqual([]);
    expect((await readUserIndex(userDir, () => {})).index.models).toEqual([]);
  });

  it('does not accept a file named like a pinned model whose checksum differs', async () => {
    await writeUserFile('u2netp.onnx', 30);
    const store = newStore();
    expect((await store.listModels()).installed).toEqual([]);
    expect(warnings.some((message) => message.includes('checksum differs'))).toBe(true);
    expect(warnings.some((message) => message.includes('Skipping u2netp.onnx'))).toBe(true);
    // A file that failed is not reopened on every listing.
    const before = warnings.length;
    await store.listModels();
    expect(warnings.length).toBe(before);
  });
});

describe('ModelStore.pickTiers', () => {
  beforeEach(async () => {
    await writeBundled([{ id: 'isnet-fp16', file: 'isnet-fp16.onnx', bytes: 20 }, { id: 'isnet-quint8', file: 'isnet-quint8.onnx', bytes: 10 }]);
  });

  it('picks the bundled fp16 as best and the quint8 as lighter', async () => {
    const tiers = await newStore().pickTiers();
    expect([tiers.best?.spec.id, tiers.lighter?.spec.id]).toEqual(['isnet-fp16', 'isnet-quint8']);
  });

  it('picks the derived fp32 as best and the quint8, not the fp16 it was derived from, as lighter', async () => {
    await writeBundled([
      { id: 'isnet-fp32', file: 'isnet-fp32.onnx', bytes: 40 },
      { id: 'isnet-fp16', file: 'isnet-fp16.onnx', bytes: 20 },
      { id: 'isnet-quint8', file: 'isnet-quint8.onnx', bytes: 10 },
    ]);
    const store = newStore();
    expect(ids(Object.values(await store.pickTiers()))).toEqual(['isnet-fp32', 'isnet-quint8']);
    expect(ids(Object.values(await store.pickTiers('isnet-fp16')))).toEqual(['isnet-fp16', 'isnet-quint8']);
  });

  it('prefers the highest-ranked installed model, with the next one down as lighter', async () => {
    await writeUserFile('birefnet-general.onnx', 30);
    await writeUserFile('birefnet-hr.onnx', 40);
    const tiers = await newStore().pickTiers();
    expect([tiers.best?.spec.id, tiers.lighter?.spec.id]).toEqual(['birefnet-hr', 'birefnet-general']);
  });

  it('honours a preferred model and picks the next lower rank below it', async () => {
    await writeUserFile('birefnet-general.onnx', 30);
    const store = newStore();
    expect(ids(Object.values(await store.pickTiers('isnet-fp16')))).toEqual(['isnet-fp16', 'isnet-quint8']);
    expect(ids(Object.values(await store.pickTiers('isnet-quint8')))).toEqual(['isnet-quint8']);
    expect((await store.pickTiers('birefnet-general')).lighter?.spec.id).toBe('isnet-fp16');
  });

  it('falls back from a preferred model that is not installed, and says so by name', async () => {
    const tiers = await newStore().pickTiers('birefnet-hr');
    expect(tiers.best?.spec.id).toBe('isnet-fp16');
    expect(tiers.missingPreferred).toMatch(/^the chosen model “BiRefNet[^”]*” is not installed$/);
    expect(await newStore().pickTiers('a-custom-model-since-removed')).toMatchObject({ missingPreferred: 'the chosen model “a-custom-model-since-removed” is not installed' });
    expect((await newStore().pickTiers('isnet-quint8')).missingPreferred).toBeUndefined();
    expect((await newStore().pickTiers()).missingPreferred).toBeUndefined();
  });

  it('returns nothing when nothing is installed (but why a chosen model did not run)', async () => {
    await rm(bundledDir, { recursive: true });
    expect(await newStore().pickTiers()).toEqual({});
    expect(await newStore().pickTiers('isnet-fp16')).toEqual({ missingPreferred: 'the chosen model “IS-Net (bundled, fp16)” is not installed' });
  });
});

describe('ModelStore.resolveModel', () => {
  it('resolves an installed model and says how to install a missing one', async () => {
    await writeBundled([{ id: 'isnet-quint8', file: 'isnet-quint8.onnx', bytes: 10 }]);
    const store = newStore();
    expect((await store.resolveModel('isnet-quint8')).path).toBe(join(bundledDir, 'isnet-quint8.onnx'));
    const error = await store.resolveModel('birefnet-hr').catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_MISSING')).toBe(true);
    expect((error as Error).message).toBe('The model “BiRefNet HR” is not installed. Install it with “matte-studio models install birefnet-hr”.');
  });
});

describe('user index recovery', () => {
  it.each([
    ['not JSON', '{ this is not json'],
    ['the wrong shape', JSON.stringify({ version: 2, models: 'none' })],
  ])('rebuilds an index that is %s from the files and keeps the bad one aside', async (_what, damaged) => {
    await writeUserFile('birefnet-general.onnx', 30);
    await writeFile(join(userDir, userIndexFileName), damaged);
    const listing = await newStore().listModels();
    expect(ids(listing.installed)).toEqual(['birefnet-general']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/was damaged and has been rebuilt/);
    const aside = (await readdir(userDir)).filter((name) => name.startsWith(`${userIndexFileName}.bad-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(userDir, aside[0] as string), 'utf8')).toBe(damaged);
    const rebuilt = await readUserIndex(userDir, () => {});
    expect(rebuilt.damaged).toBe(false);
    expect(rebuilt.index.models.map((entry) => entry.id)).toEqual(['birefnet-general']);
  });

  it('reads a missing index as empty without a warning', async () => {
    const read = await readUserIndex(userDir, (message) => warnings.push(message));
    expect(read).toEqual({ index: { version: 1, models: [] }, damaged: false });
    expect(warnings).toEqual([]);
    expect(existsSync(join(userDir, userIndexFileName))).toBe(false);
  });
});

describe('default folders', () => {
  it('take the environment overrides', () => {
    const saved = { user: process.env.MATTE_STUDIO_MODELS_DIR, bundled: process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR };
    try {
      process.env.MATTE_STUDIO_MODELS_DIR = '/tmp/user-models';
      process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR = '/tmp/bundled-models';
      expect([defaultUserModelsDir(), defaultBundledModelsDir()]).toEqual(['/tmp/user-models', '/tmp/bundled-models']);
      delete process.env.MATTE_STUDIO_MODELS_DIR;
      delete process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR;
      expect(defaultUserModelsDir()).toMatch(/[/\\]\.matte-studio[/\\]models$/);
      expect(defaultBundledModelsDir()).toMatch(/[/\\]resources[/\\]models$/);
      expect(existsSync(join(defaultBundledModelsDir(), '..', '..', 'package.json'))).toBe(true);
    } finally {
      for (const [key, value] of [['MATTE_STUDIO_MODELS_DIR', saved.user], ['MATTE_STUDIO_BUNDLED_MODELS_DIR', saved.bundled]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
