/** How the studio words a matte's provenance: which model made it, and why not a better tier or a faster provider. */
import type { MatteProvenance } from '../../../shared/contract/studioContract';

/** e.g. `tier 1 · isnet-fp16 · cpu`. */
export function formatProvenance(provenance: Pick<MatteProvenance, 'tier' | 'model' | 'ep' | 'quality'>): string {
  return `tier ${provenance.tier} · ${provenance.model} · ${provenance.ep}${provenance.quality === 'draft' ? ' · draft' : ''}`;
}

/** The tooltip beside it: why earlier tiers were skipped, and why the model ran on this provider and not the first. */
export function explainProvenance(provenance: Pick<MatteProvenance, 'ep' | 'fallbackReasons' | 'providerNotes'>): string {
  const { fallbackReasons, providerNotes = [] } = provenance;
  return [
    ...(fallbackReasons.length > 0 ? ['Fell back because:', ...fallbackReasons] : ['No fallback was needed']),
    ...(providerNotes.length > 0 ? [`Ran on ${provenance.ep} because:`, ...providerNotes] : []),
  ].join('\n');
}
