/**
 * Where the batch's one settings snapshot comes from, chosen in the dialog (never silently): the item on the canvas,
 * or the defaults. And the note that says, before a run, which items will write nothing because no format of their
 * kind is ticked.
 */
import { formatAppliesTo, type BatchFormat } from '../../../shared/batchTypes';
import type { RefinementSettings } from '../../../shared/settings';
import type { DocumentItem } from '../document/documentStore';

/** The dialog's choice. */
export type SettingsSource = 'activeItem' | 'defaults';

/** The refinement snapshot for a choice; the defaults when the canvas has no item (or it has no settings). */
export function settingsSnapshotFor(source: SettingsSource, activeSettings: RefinementSettings | undefined, defaults: () => RefinementSettings): RefinementSettings {
  return source === 'activeItem' && activeSettings ? activeSettings : defaults();
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `2 clips will be skipped: no clip format is ticked.`, or null when every chosen item gets at least one format. */
export function skippedKindsNote(formats: readonly BatchFormat[], items: readonly Pick<DocumentItem, 'kind'>[]): string | null {
  if (formats.length === 0) return null;
  const parts: string[] = [];
  for (const [kind, word, formatWord] of [['clip', 'clip', 'clip'], ['image', 'still', 'still']] as const) {
    const count = items.filter((item) => item.kind === kind).length;
    if (count > 0 && !formats.some((format) => formatAppliesTo(format, kind))) parts.push(`${plural(count, word)} will be skipped: no ${formatWord} format is ticked.`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
