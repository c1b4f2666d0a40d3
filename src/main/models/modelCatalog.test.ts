import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imagenetNormalization, modelSpecSchema, normalizationSchema, toChannelAffine } from '../../shared/modelTypes';
import { findCatalogModel, modelCatalog } from './modelCatalog';

describe('modelCatalog', () => {
  it('validates against the schema, with unique ids, a licence and an input size on every entry', () => {
    for (const spec of modelCatalog) {
      expect(modelSpecSchema.parse(spec)).toEqual(spec);
      expect(spec.licence.id.length, spec.id).toBeGreaterThan(0);
      expect(spec.input.width * spec.input.height, spec.id).toBeGreaterThanOrEqual(320 * 320);
    }
    expect(new Set(modelCatalog.map((spec) => spec.id)).size).toBe(modelCatalog.length);
  });

  it('has the families the studio supports, each non-bundled one with an https download', () => {
    expect(new Set(modelCatalog.map((spec) => spec.family))).toEqual(new Set(['isnet', 'birefnet', 'ben2', 'rmbg', 'u2net', 'modnet']));
    for (const spec of modelCatalog.filter((candidate) => !candidate.bundled)) expect(spec.download?.url, spec.id).toMatch(/^https:\/\//);
    for (const spec of modelCatalog.filter((candidate) => candidate.download?.sizeBytes)) expect(spec.sizeBytes, spec.id).toBe(spec.download?.sizeBytes);
  });

  it('describes the bundled IS-Net files exactly as the provisioning script writes them', () => {
    const script = readFileSync(join(import.meta.dirname, '..', '..', '..', 'scripts', 'provisionModels.mjs'), 'utf8');
    const bundled = modelCatalog.filter((spec) => spec.bundled);
    expect(bundled.map((spec) => spec.id)).toEqual(['isnet-fp32', 'isnet-fp16', 'isnet-quint8']);
    for (const spec of bundled) {
      expect(script).toMatch(new RegExp(`id: '${spec.id}',[\\s\\S]*?bytes: ${spec.sizeBytes},`));
      expect(spec).toMatchObject({ input: { name: 'input', width: 1024, height: 1024 }, output: { name: 'output', needsSigmoid: false }, licence: { id: 'AGPL-3.0' } });
    }
    expect(findCatalogModel('isnet-fp16')!.tier).toBeGreaterThan(findCatalogModel('isnet-quint8')!.tier);
    // The derived fp32 file (same weights, faster on CPU) ranks first and is the one with a symbolic input size.
    expect(findCatalogModel('isnet-fp32')!.tier).toBeGreaterThan(findCatalogModel('isnet-fp16')!.tier);
    expect(bundled.filter((spec) => spec.input.dynamic).map((spec) => spec.id)).toEqual(['isnet-fp32']);
  });

  it('expresses IS-Net pre-processing as (x − 128) / 256 exactly', () => {
    const { scale, offset } = toChannelAffine(findCatalogModel('isnet-fp16')!.normalization);
    for (const x of [0, 1, 127, 128, 200, 255]) {
      for (let channel = 0; channel < 3; channel++) expect(x * scale[channel]! + offset[channel]!).toBeCloseTo((x - 128) / 256, 12);
    }
  });

  it('marks the non-commercial models', () => {
    expect(findCatalogModel('rmbg-2.0')!.licence).toMatchObject({ id: 'CC-BY-NC-4.0', commercialUse: false });
    expect(findCatalogModel('rmbg-1.4')!.licence.commercialUse).toBe(false);
    expect(findCatalogModel('birefnet-general')!.licence.commercialUse).toBe(true);
  });

  it('needs a sigmoid for BiRefNet logits and none for graphs that end in one', () => {
    for (const spec of modelCatalog) expect(spec.output.needsSigmoid, spec.id).toBe(spec.family === 'birefnet');
    expect(findCatalogModel('u2net')!.output.needsSigmoid).toBe(false);
  });
});

describe('model schema', () => {
  const valid = modelSpecSchema.parse(findCatalogModel('u2netp'));

  it('rejects a spec without a licence, an unsafe id, or a non-http download', () => {
    const withoutLicence: Partial<typeof valid> = { ...valid };
    delete withoutLicence.licence;
    expect(modelSpecSchema.safeParse(withoutLicence).success).toBe(false);
    expect(modelSpecSchema.safeParse({ ...valid, id: '../evil' }).success).toBe(false);
    expect(modelSpecSchema.safeParse({ ...valid, id: 'Upper' }).success).toBe(false);
    expect(modelSpecSchema.safeParse({ ...valid, download: { url: 'file:///etc/passwd' } }).success).toBe(false);
    expect(modelSpecSchema.safeParse({ ...valid, download: { url: valid.download!.url, sha256: 'ABC' } }).success).toBe(false);
  });

  it('reads a mean/std normalisation without a kind, and converts it to the same affine values', () => {
    const parsed = normalizationSchema.parse({ mean: imagenetNormalization.mean, std: imagenetNormalization.std });
    expect(parsed).toEqual(imagenetNormalization);
    const { scale, offset } = toChannelAffine(parsed);
    const x = 200;
    for (let channel = 0; channel < 3; channel++) {
      const expected = (x / 255 - imagenetNormalization.mean[channel]!) / imagenetNormalization.std[channel]!;
      expect(x * scale[channel]! + offset[channel]!).toBeCloseTo(expected, 10);
    }
  });
});
