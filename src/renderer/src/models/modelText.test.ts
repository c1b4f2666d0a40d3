import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../../shared/contract/modelMethods';
import { modelSpecSchema } from '../../../shared/modelTypes';
import { formatBytes, licenceText, rowAction, sizeText, statusText } from './modelText';

const spec = (licence: { id: string; commercialUse: boolean; note?: string }, bundled = false) =>
  modelSpecSchema.parse({
    id: 'm',
    name: 'Model M',
    family: 'u2net',
    tier: 10,
    sizeBytes: 972_666_916,
    input: { width: 320, height: 320, layout: 'NCHW' },
    normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
    output: { needsSigmoid: false },
    licence,
    ...(bundled ? { bundled: true } : { download: { url: 'https://example.invalid/m.onnx' } }),
  });
const entry = (fields: Partial<ModelEntry> = {}): ModelEntry => ({ spec: spec({ id: 'MIT', commercialUse: true }), state: 'available', source: null, sizeBytes: 972_666_916, isSizeExact: false, partialBytes: 0, canRemove: false, installJobId: null, ...fields });

describe('model wording', () => {
  it('sizes in decimal units, approximate ones with a tilde', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(4_574_861)).toBe('4.57 MB');
    expect(formatBytes(224_005_088)).toBe('224 MB');
    expect(formatBytes(1_024_331_469)).toBe('1.02 GB');
    expect(sizeText(entry())).toBe('~973 MB');
    expect(sizeText(entry({ isSizeExact: true, sizeBytes: 44_342_436 }))).toBe('44.3 MB');
  });

  it('marks non-commercial licences, and does not call an unknown licence non-commercial', () => {
    expect(licenceText(spec({ id: 'CC-BY-NC-4.0', commercialUse: false, note: 'Commercial use needs a licence from BRIA.' }))).toEqual({
      label: 'CC-BY-NC-4.0',
      isNonCommercial: true,
      title: 'CC-BY-NC-4.0. Non-commercial use only: commercial work needs a separate licence. Commercial use needs a licence from BRIA.',
    });
    expect(licenceText(spec({ id: 'MIT', commercialUse: true })).isNonCommercial).toBe(false);
    expect(licenceText(spec({ id: 'unknown', commercialUse: false }))).toMatchObject({ label: 'Unknown', isNonCommercial: false });
  });

  it('says where a model stands', () => {
    expect(statusText(entry(), undefined)).toBe('Not installed');
    expect(statusText(entry({ partialBytes: 45_000_000 }), undefined)).toBe('Partly downloaded (45.0 MB of ~973 MB)');
    expect(statusText(entry(), { jobId: 'j', fraction: 0.456, isCancelling: false })).toBe('Downloading… 45%');
    expect(statusText(entry(), { jobId: 'j', fraction: 0.456, isCancelling: true })).toBe('Cancelling…');
    expect(statusText(entry({ state: 'installed', source: 'bundled' }), undefined)).toBe('Installed (ships with Matte Studio)');
    expect(statusText(entry({ state: 'unavailable' }), undefined)).toBe('Missing from this installation');
  });

  it('gives each row one action: Install, Resume, Cancel, Remove; disabled Remove for bundled models', () => {
    expect(rowAction(entry(), undefined)).toMatchObject({ kind: 'install', label: 'Install', isDisabled: false });
    expect(rowAction(entry({ partialBytes: 10 }), undefined)).toMatchObject({ kind: 'resume', label: 'Resume', isDisabled: false });
    expect(rowAction(entry(), { jobId: 'j', fraction: 0.1, isCancelling: false })).toMatchObject({ kind: 'cancel', label: 'Cancel', isBusy: false });
    expect(rowAction(entry(), { jobId: 'j', fraction: 0.1, isCancelling: true })).toMatchObject({ kind: 'cancel', label: 'Cancelling…', isBusy: true });
    expect(rowAction(entry({ installJobId: 'other' }), undefined)).toMatchObject({ kind: 'cancel', isBusy: true });
    expect(rowAction(entry({ state: 'installed', source: 'downloaded', canRemove: true }), undefined)).toMatchObject({ kind: 'remove', isDisabled: false });
    const bundled = rowAction(entry({ spec: spec({ id: 'AGPL-3.0', commercialUse: true }, true), state: 'installed', source: 'bundled', canRemove: false }), undefined);
    expect(bundled).toMatchObject({ kind: 'remove', label: 'Remove', isDisabled: true });
    expect(bundled.title).toMatch(/ships with Matte Studio and cannot be removed/);
    expect(rowAction(entry({ state: 'unavailable' }), undefined)).toMatchObject({ kind: 'install', isDisabled: true });
  });
});
