/** Converts the engine's item descriptions into document items. */
import type { ItemInfo } from '../../../shared/contract/studioContract';
import type { NewDocumentItem } from '../document/documentStore';
import { rationalToFps } from '../timeline/timecode';

/** A document item for an opened picture or clip; clips keep their frame count and rate. */
export function toDocumentItem(info: ItemInfo): NewDocumentItem {
  const base = { id: info.id, path: info.path, name: info.name, kind: info.kind, width: info.width, height: info.height };
  if (info.kind !== 'clip') return base;
  const fps = rationalToFps(info.fps);
  return { ...base, frameCount: info.frameCount ?? 1, ...(fps === undefined ? {} : { fps }) };
}

/** Splits an open result into items the document lacks and the ids it already holds (in result order). */
export function partitionNewItems(infos: readonly ItemInfo[], knownIds: ReadonlySet<string>): { added: ItemInfo[]; existing: string[] } {
  const added: ItemInfo[] = [];
  const existing: string[] = [];
  const seen = new Set<string>();
  for (const info of infos) {
    if (seen.has(info.id)) continue;
    seen.add(info.id);
    if (knownIds.has(info.id)) existing.push(info.id);
    else added.push(info);
  }
  return { added, existing };
}
