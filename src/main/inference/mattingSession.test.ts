import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledModelsDir, hasBundledModels, missingModelsReason } from '../testing/fixtures';
import { hasCudaProviderLibraries } from './executionProviders';
import { halfToFloat, MattingSession, resetFailedProviders, type RunnableModel } from './mattingSession';
import { packPlanar } from './modelTensor';

if (!hasBundledModels) console.warn(missingModelsReason);

const quint8: RunnableModel = {
  id: 'isnet-quint8',
  path: join(bundledModelsDir, 'isnet-quint8.onnx'),
  input: { name: 'input', width: 1024, height: 1024 },
  normalization: { kind: 'affine', scale: 1 / 256, offset: -0.5 },
  output: { name: 'output', needsSigmoid: false },
};

describe('packPlanar', () => {
  it('normalises interleaved RGB into planar NCHW as (x − 128) / 256 for IS-Net', () => {
    const tensor = packPlanar(Uint8Array.from([0, 128, 255, 64, 32, 16]), 2, { kind: 'affine', scale: 1 / 256, offset: -0.5 });
    expect(Array.from(tensor)).toEqual([-0.5, -0.25, 0, -0.375, 0.49609375, -0.4375]);
  });
  it('applies ImageNet mean/std per channel', () => {
    const tensor = packPlanar(Uint8Array.from([255, 255, 255]), 1, { kind: 'meanStd', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(tensor[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(tensor[2]).toBeCloseTo((1 - 0.406) / 0.225, 5);
  });
});

describe('halfToFloat', () => {
  it('decodes IEEE half precision', () => {
    expect(Array.from(halfToFloat(Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x0000, 0x7c00])))).toEqual([1, -2, 0.5, 0, Infinity]);
  });
});

describe.skipIf(!hasBundledModels)('MattingSession on the bundled model', () => {
  it('falls back from a provider that cannot start to the CPU and reports the provider used', async () => {
    resetFailedProviders();
    const session = await MattingSession.open(quint8, { providers: ['cuda', 'cpu'], threads: 2 });
    try {
      expect(session.provider).toBe(hasCudaProviderLibraries() ? 'cuda' : 'cpu');
      // The reason travels with the session, so the user learns why their GPU was not used.
      expect(session.providerFallbackReasons).toEqual(hasCudaProviderLibraries() ? [] : [expect.stringMatching(/^cuda could not start \(.+\); running on cpu$/)]);
      const tensor = new Float32Array(3 * 1024 * 1024).fill(0.2);
      const { matte, width, height } = await session.runTensor(tensor);
      expect([width, height]).toEqual([1024, 1024]);
      expect(matte.length).toBe(1024 * 1024);
      expect(matte.every((value) => value >= 0 && value <= 1)).toBe(true);
    } finally {
      await session.dispose();
    }
  });

  it('reports a damaged model file as MODEL_INVALID with a plain sentence', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'damaged-model-'));
    const path = join(folder, 'broken.onnx');
    await writeFile(path, Buffer.from('this is not a protobuf'.repeat(100)));
    await expect(MattingSession.open({ ...quint8, id: 'broken', path }, { providers: ['cpu'] })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: 'The model file for broken is damaged or not an ONNX model.',
    });
  });
});
