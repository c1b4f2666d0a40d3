import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnnxModel, rewriteOnnxModel } from '../../../scripts/onnxRewrite.mjs';
import type { Image8 } from '../../core/imageTypes';
import { findCatalogModel } from '../models/modelCatalog';
import { bundledModelsDir, fixture, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { draftInputSide } from './inferenceQuality';
import { MattingSession, type RunnableModel } from './mattingSession';
import { resizeForModel } from './modelInput';

const fp32Path = join(bundledModelsDir, 'isnet-fp32.onnx');
const hasDerivedModel = existsSync(fp32Path) && existsSync(join(bundledModelsDir, 'isnet-fp16.onnx'));
if (!hasDerivedModel) console.warn(`${missingModelsReason} (isnet-fp32.onnx is derived by it)`);
if (!hasFixtures) console.warn(missingFixturesReason);

const manifestEntry = (id: string) =>
  hasDerivedModel ? (JSON.parse(readFileSync(join(bundledModelsDir, 'manifest.json'), 'utf8')).models as Array<{ id: string; sha256: string }>).find((entry) => entry.id === id) : undefined;

function bundled(id: string): RunnableModel {
  const spec = findCatalogModel(id)!;
  return { id, path: join(bundledModelsDir, `${id}.onnx`), input: spec.input, normalization: spec.normalization, output: spec.output, sha256: manifestEntry(id)!.sha256, source: 'bundled' };
}

const sessionOptions = { providers: ['cpu' as const], threads: 2, verifiedHashesFile: join(tmpdir(), 'matte-studio-test-verified-sha256.json') };

describe.skipIf(!hasDerivedModel)('the derived isnet-fp32 model', () => {
  it('is exactly what rewriting the fp16 file gives (the sha256 that provisioning pins and the manifest records)', () => {
    const { bytes, report } = rewriteOnnxModel(readFileSync(join(bundledModelsDir, 'isnet-fp16.onnx')), { toFloat32: true, symbolicInputSize: true, resizeScale: 2, keepOutputs: ['output'] });
    // 89 nodes of the side outputs, then the 199 that computed the 34 remaining Resizes' sizes.
    expect(report).toEqual({ convertedInitializers: 238, removedCasts: 91, symbolicInputs: ['input'], resizesFollowingShapes: 0, resizesByScale: 34, prunedNodes: 288 });
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifestEntry('isnet-fp32')!.sha256);
  });

  it('has only fp32 weights, no Cast nodes, float input and output, a symbolic input size and only the matte output', () => {
    const described = describeOnnxModel(readFileSync(fp32Path));
    // 238 converted, less the ten weights and biases of the five side outputs' convolutions, plus the Resize scales.
    expect(described.initializerTypes).toEqual({ 1: 229 });
    expect(described.opCounts.Cast).toBeUndefined();
    // No shape arithmetic left at run time: every Resize reads the constant scales.
    expect([described.opCounts.Shape, described.opCounts.Slice, described.opCounts.Constant]).toEqual([undefined, undefined, undefined]);
    expect(described.inputs).toEqual([{ name: 'input', elemType: 1, dims: [1, 3, 'input_height', 'input_width'] }]);
    expect(described.outputs).toEqual([{ name: 'output', elemType: 1, dims: [1, 1, 'output_height', 'output_width'] }]);
  });

  describe.skipIf(!hasFixtures)('on a portrait', () => {
    let image: Image8;
    let fp16: MattingSession;
    let fp32: MattingSession;
    beforeAll(async () => {
      const { data, info } = await sharp(fixture('portraits/st_people_0_longhair.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      image = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
      [fp16, fp32] = await Promise.all([MattingSession.open(bundled('isnet-fp16'), sessionOptions), MattingSession.open(bundled('isnet-fp32'), sessionOptions)]);
    });
    afterAll(async () => {
      await Promise.all([fp16?.dispose(), fp32?.dispose()]);
    });

    const matteOf = async (session: MattingSession, quality: 'full' | 'draft') => {
      const size = session.inputSize(quality);
      return session.run(await resizeForModel(image, size.width, size.height), size);
    };

    it('gives the same matte as the fp16 file it was derived from, within a small tolerance', async () => {
      const [half, single] = [await matteOf(fp16, 'full'), await matteOf(fp32, 'full')];
      expect([single.width, single.height]).toEqual([1024, 1024]);
      const { maximum, mean } = differences(half.matte, single.matte);
      // Measured: max 3.6e-4, mean 2.4e-6 (the fp16 graph already computed in fp32 between its Casts on this CPU).
      expect(mean).toBeLessThan(1e-4);
      expect(maximum).toBeLessThan(0.01);
      // The subject is there at all (guards against two equally empty mattes).
      expect(single.matte.reduce((sum, value) => sum + value, 0) / single.matte.length).toBeGreaterThan(0.1);
    });

    it(`runs at ${draftInputSide}² for the draft quality, close to the full matte; a static-size model stays at 1024²`, async () => {
      expect(fp32.inputSize('draft')).toEqual({ width: draftInputSide, height: draftInputSide });
      expect(fp16.inputSize('draft')).toEqual({ width: 1024, height: 1024 });
      const [full, draft] = [await matteOf(fp32, 'full'), await matteOf(fp32, 'draft')];
      expect([draft.width, draft.height]).toEqual([draftInputSide, draftInputSide]);
      const { mean } = differences(downsample(full.matte, 1024, 1024 / draftInputSide), draft.matte);
      // Measured: mean 5.9e-3; a wrong resize (misplaced features) gives several times that.
      expect(mean).toBeLessThan(0.02);
    });
  });
});

function differences(first: Float32Array, second: Float32Array): { maximum: number; mean: number } {
  expect(first.length).toBe(second.length);
  let maximum = 0;
  let sum = 0;
  for (let index = 0; index < first.length; index++) {
    const difference = Math.abs(first[index]! - second[index]!);
    maximum = Math.max(maximum, difference);
    sum += difference;
  }
  console.info(`matte difference: max ${maximum.toFixed(5)}, mean ${(sum / first.length).toExponential(3)}`);
  return { maximum, mean: sum / first.length };
}

/** Box-averages a square matte by an integer factor. */
function downsample(matte: Float32Array, side: number, factor: number): Float32Array {
  const outSide = side / factor;
  const out = new Float32Array(outSide * outSide);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[Math.floor(y / factor) * outSide + Math.floor(x / factor)]! += matte[y * side + x]! / (factor * factor);
  return out;
}
