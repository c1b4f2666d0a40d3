// Rows and text for `matte-studio models`. Pure, so the CLI's output is tested without touching the disk.
import type { InstalledModel, ModelListing, ModelSpec } from '../../shared/modelTypes';
import { formatBytes } from '../../shared/formatBytes';

export { formatBytes };

/** Where a listed model stands. `custom` is a user-supplied file in the model folder. */
export type ModelListStatus = 'bundled' | 'installed' | 'custom' | 'available';

/** One row of `matte-studio models`. */
export interface ModelListRow {
  id: string;
  name: string;
  status: ModelListStatus;
  /** Human size, e.g. `88.2 MB`; approximate for models not yet downloaded. */
  size: string;
  /** Licence id, with ` (non-commercial)` where the licence forbids commercial use. */
  licence: string;
  nonCommercial: boolean;
}


function licenceText(spec: ModelSpec): { licence: string; nonCommercial: boolean } {
  // A custom model's licence is unknown, not known to be non-commercial: say so instead of a misleading marker.
  if (spec.licence.id === 'unknown') return { licence: 'unknown (check before commercial use)', nonCommercial: false };
  const nonCommercial = !spec.licence.commercialUse;
  return { licence: nonCommercial ? `${spec.licence.id} (non-commercial)` : spec.licence.id, nonCommercial };
}

function installedStatus(model: InstalledModel): ModelListStatus {
  if (model.source === 'bundled') return 'bundled';
  return model.source === 'custom' ? 'custom' : 'installed';
}

const byTier = (a: ModelSpec, b: ModelSpec) => b.tier - a.tier || a.id.localeCompare(b.id);

/** Installed models first (best first), then downloadable ones (best first). */
export function formatModelList(listing: ModelListing): ModelListRow[] {
  const installed = [...listing.installed].sort((a, b) => byTier(a.spec, b.spec)).map((model) => ({
    id: model.spec.id,
    name: model.spec.name,
    status: installedStatus(model),
    size: formatBytes(model.bytes),
    ...licenceText(model.spec),
  }));
  const available = [...listing.available].sort(byTier).map((spec) => ({
    id: spec.id,
    name: spec.name,
    status: 'available' as const,
    size: `~${formatBytes(spec.download?.sizeBytes ?? spec.sizeBytes)}`,
    ...licenceText(spec),
  }));
  return [...installed, ...available];
}

/** Aligned plain-text table of the rows, one line each, with a header. */
export function formatModelTable(rows: readonly ModelListRow[]): string {
  const header = ['ID', 'NAME', 'STATUS', 'SIZE', 'LICENCE'];
  const cells = rows.map((row) => [row.id, row.name, row.status, row.size, row.licence]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)));
  const render = (line: string[]) => line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [render(header), ...cells.map(render)].join('\n');
}
