import { describe, expect, it } from 'vitest';
import { explainProvenance, formatProvenance } from './provenanceText';

describe('provenance text', () => {
  it('names tier, model, provider and a draft', () => {
    expect(formatProvenance({ tier: 2, model: 'isnet-quint8', ep: 'cpu', quality: 'draft' })).toBe('tier 2 · isnet-quint8 · cpu · draft');
  });

  it('explains a tier fallback and a provider fallback, each under its own heading', () => {
    expect(explainProvenance({ ep: 'cpu', fallbackReasons: [] })).toBe('No fallback was needed');
    const both = explainProvenance({ ep: 'cpu', fallbackReasons: ['tier 1 (isnet-fp32): damaged'], providerNotes: ['cuda could not start (no driver); running on cpu'] });
    expect(both.split('\n')).toEqual(['Fell back because:', 'tier 1 (isnet-fp32): damaged', 'Ran on cpu because:', 'cuda could not start (no driver); running on cpu']);
  });
});
