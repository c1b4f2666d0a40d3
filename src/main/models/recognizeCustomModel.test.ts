import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { imagenetNormalization, type Normalization } from '../../shared/modelTypes';
import { createEngine } from '../engine';
import { defaultBundledModelsDir, ModelStore } from './modelStore';
import { customModelId, readModelShapes, recognizeCustomModel, type SessionShapes } from './recognizeCustomModel';

const bundledModel = join(defaultBundledModelsDir(), 'isnet-quint8.onnx');
const isnetNormalization: Normalization = { kind: 'affine', scale: 1 / 256, offset: -0.5 };
let root: string;
let userDir: string;
let warnings: string[];

beforeAll(async () => {
  // The postinstall script provisions this file; without it these tests have nothing real to open.
  expect(existsSync(bundledModel), `${bundledModel} is missing: run “npm run provision-models”`).toBe(true);
  root = await mkdtemp(join(tmpdir(), 'matte-custom-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  userDir = join(root, `user-${Math.random().toString(36).slice(2)}`);
  await mkdir(userDir, { recursive: true });
  warnings = [];
});

const warn = (message: string) => warnings.push(message);

describe('recognizeCustomModel', () => {
  it('reads input and matte output from the graph and defaults to ImageNet, marked as a guess', async () => {
    const path = join(userDir, 'My Matte.onnx');
    await copyFile(bundledModel, path);
    const spec = await recognizeCustomModel(path, { warn });
    expect(spec).toMatchObject({
      id: 'custom-my-matte',
      name: 'My Matte',
      family: 'custom',
      tier: 0,
      sizeBytes: 44_342_436,
      input: { name: 'input', width: 1024, height: 1024, layout: 'NCHW', dynamic: false },
      output: { name: 'output', needsSigmoid: false },
      normalization: imagenetNormalization,
      normalizationInferred: false,
    });
    expect(warnings).toEqual([]);
  });

  it('takes name, normalisation and sigmoid from a sidecar JSON', async () => {
    const path = join(userDir, 'matte.onnx');
    await copyFile(bundledModel, path);
    await writeFile(join(userDir, 'matte.json'), JSON.stringify({ name: 'Studio matte', normalization: isnetNormalization, needsSigmoid: true }));
    const spec = await recognizeCustomModel(path, { warn });
    expect(spec).toMatchObject({ name: 'Studio matte', normalization: isnetNormalization, normalizationInferred: true, output: { needsSigmoid: true } });
  });

  it('ignores an invalid sidecar with a warning', async () => {
    const path = join(userDir, 'matte.onnx');
    await copyFile(bundledModel, path);
    await writeFile(join(userDir, 'matte.json'), JSON.stringify({ normalization: { mean: [0.5], std: [1, 1, 1] } }));
    const spec = await recognizeCustomModel(path, { warn });
    expect(spec.normalizationInferred).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Ignoring .*matte\.json/);
  });

  it('rejects a file that is not an ONNX model with MODEL_INVALID', async () => {
    const path = join(userDir, 'broken.onnx');
    await writeFile(path, 'definitely not protobuf');
    const error = await recognizeCustomModel(path).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toBe('“broken.onnx” could not be opened as an ONNX model.');
  });

  it('derives safe ids from file names', () => {
    expect(customModelId('My Model (v2).onnx')).toBe('custom-my-model-v2');
    expect(customModelId('../..onnx')).toBe('custom-model');
  });
});

describe('readModelShapes', () => {
  const tensor = (name: string, shape: (number | string)[]) => ({ name, isTensor: true as const, type: 'float32' as const, shape });
  const session = (inputs: [string, (number | string)[]][], outputs: [string, (number | string)[]][]): SessionShapes => ({
    inputNames: inputs.map(([name]) => name),
    inputMetadata: inputs.map(([name, shape]) => tensor(name, shape)),
    outputNames: outputs.map(([name]) => name),
    outputMetadata: outputs.map(([name, shape]) => tensor(name, shape)),
  });

  it('uses 1024 for dynamic dimensions and the first one-channel output', () => {
    const shapes = readModelShapes(session([['pixels', ['batch', 3, 'height', -1]]], [['features', [1, 64, 32, 32]], ['logits', [1, 2, 512, 512]], ['alpha', [1, 1, 'h', 'w']], ['side', [1, 1, 512, 512]]]), 'm.onnx');
    expect(shapes).toEqual({ input: { name: 'pixels', width: 1024, height: 1024, layout: 'NCHW', dynamic: true }, outputName: 'alpha' });
  });

  it('keeps a static size and falls back to output 0 when no output has one channel', () => {
    const shapes = readModelShapes(session([['x', [1, 3, 1440, 2560]]], [['y', [1, 2, 1440, 2560]], ['z', [1, 3, 1440, 2560]]]), 'm.onnx');
    expect(shapes).toEqual({ input: { name: 'x', width: 2560, height: 1440, layout: 'NCHW', dynamic: false }, outputName: 'y' });
  });

  it('rejects NHWC inputs and models that need more than one input', () => {
    const nhwc = () => readModelShapes(session([['x', [1, 512, 512, 3]]], [['y', [1, 1, 512, 512]]]), 'nhwc.onnx');
    expect(nhwc).toThrow(/NCHW, 3 channels/);
    const twoInputs = () => readModelShapes(session([['image', [1, 3, 512, 512]], ['trimap', [1, 1, 512, 512]]], [['y', [1, 1, 512, 512]]]), 'vitmatte.onnx');
    expect(twoInputs).toThrow(/needs 2 inputs/);
  });
});

describe('custom models in the store', () => {
  it('appears when dropped in, is only picked when chosen, and keeps the normalisation the user sets', async () => {
    const bundledDir = join(root, 'bundled');
    await mkdir(bundledDir, { recursive: true });
    await writeFile(join(bundledDir, 'isnet-fp16.onnx'), Buffer.alloc(20));
    await writeFile(join(bundledDir, 'manifest.json'), JSON.stringify({ version: 1, models: [{ id: 'isnet-fp16', file: 'isnet-fp16.onnx', bytes: 20 }] }));
    await copyFile(bundledModel, join(userDir, 'portrait.onnx'));
    const store = new ModelStore({ bundledDir, userDir, warn });

    const listed = (await store.listModels()).installed.find((model) => model.spec.id === 'custom-portrait');
    expect(listed).toMatchObject({ source: 'custom', path: join(userDir, 'portrait.onnx'), spec: { normalizationInferred: false } });
    expect((await store.pickTiers()).best?.spec.id).toBe('isnet-fp16');
    const chosen = await store.pickTiers('custom-portrait');
    expect([chosen.best?.spec.id, chosen.lighter?.spec.id]).toEqual(['custom-portrait', 'isnet-fp16']);

    const updated = await store.setCustomNormalization('custom-portrait', isnetNormalization);
    expect(updated).toMatchObject({ normalization: isnetNormalization, normalizationInferred: true });
    const reopened = await new ModelStore({ bundledDir, userDir, warn }).resolveModel('custom-portrait');
    expect(reopened.spec).toMatchObject({ normalization: isnetNormalization, normalizationInferred: true });
    expect(warnings).toEqual([]);
  });

  it("the engine's store reads a dropped-in model through its inference worker, with the same result", async () => {
    await copyFile(bundledModel, join(userDir, 'portrait.onnx'));
    const engine = createEngine({ bundledDir: join(root, 'no-bundled'), userDir, warn });
    try {
      const inspected: string[] = [];
      const inspect = engine.sessions.inspect.bind(engine.sessions);
      engine.sessions.inspect = (path) => (inspected.push(path), inspect(path));
      const listed = (await engine.models.listModels()).installed.find((model) => model.spec.id === 'custom-portrait');
      expect(inspected).toEqual([join(userDir, 'portrait.onnx')]);
      expect(listed?.spec).toEqual(await recognizeCustomModel(join(userDir, 'portrait.onnx'), { id: 'custom-portrait' }));
    } finally {
      await engine.dispose();
    }
  });

  it('refuses to change the normalisation of a catalogue model or an unknown id', async () => {
    await rm(userDir, { recursive: true, force: true });
    await mkdir(userDir, { recursive: true });
    await writeFile(join(userDir, 'birefnet-general.onnx'), Buffer.alloc(10));
    const store = new ModelStore({ bundledDir: join(root, 'none'), userDir, warn });
    expect(isStudioError(await store.setCustomNormalization('birefnet-general', isnetNormalization).catch((caught: unknown) => caught), 'INVALID_INPUT')).toBe(true);
    expect(isStudioError(await store.setCustomNormalization('custom-nothing', isnetNormalization).catch((caught: unknown) => caught), 'MODEL_MISSING')).toBe(true);
  });
});
