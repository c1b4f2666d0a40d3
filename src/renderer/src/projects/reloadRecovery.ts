/**
 * Unsaved work across a page reload (or a closed and reopened tab) while the engine keeps running. The engine's own
 * autosave is offered after a crash of the engine (another session); a reload keeps the SAME engine session, which
 * never offers itself. So the renderer keeps its own copy in the browser's storage: the document (items by path,
 * settings, timeline positions, view) and the hand-edit tiles, written at most once a second while the project is
 * unsaved and on `beforeunload`, removed on save. After a reload it is offered like a crash recovery; recovering
 * reopens the items by path (ids are stable per path) and loads everything as an unsaved project.
 *
 * The copy belongs to one engine session (`sessionKey`: the web shell's token, which a new host changes), so a copy
 * left by an engine that has since stopped is dropped (that engine's crash copy covers it).
 */
import { z } from 'zod';
import { projectBackgroundStateSchema } from '../../../shared/contract/projectMethods';
import { refinementSettingsSchema } from '../../../shared/settings';
import type { StudioApi } from '../connection/connectStudio';
import type { SerializedMaskEdits } from '../document/maskEditStorage';
import type { OpenedProject, ProjectDocumentInput } from './projectDocument';

/** The parts of `Storage` the copy uses (localStorage in the web shell, sessionStorage in Electron). */
export type RecoveryStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where the copy is kept. */
export const reloadRecordKey = 'matte-studio.unsaved-work';

const tileSchema = z.object({ tileX: z.number().int().min(0), tileY: z.number().int().min(0), add: z.string(), remove: z.string(), refineEdge: z.string().optional() });

/** The stored copy; reading it is a trust boundary (another version of the studio may have written it). */
export const reloadRecordSchema = z.object({
  version: z.literal(1),
  sessionKey: z.string(),
  savedAt: z.string(),
  projectPath: z.string().nullable(),
  projectName: z.string(),
  document: z.object({
    items: z.array(z.object({ id: z.string(), path: z.string(), kind: z.enum(['image', 'clip']), settings: refinementSettingsSchema, frameIndex: z.number().int().min(0) })),
    activeItemId: z.string().nullable(),
    view: z.object({
      zoom: z.number(), panX: z.number(), panY: z.number(), viewMode: z.string(), overlayColor: z.string(), overlayOpacity: z.number(), backgroundColor: z.string(), splitFraction: z.number(),
    }).optional(),
    /** The engine's kept copy of the view's picture (still there after a reload: the engine kept running). */
    backgroundPicture: projectBackgroundStateSchema.optional(),
  }),
  /** Null when the edits did not fit in the storage (the rest was still kept). */
  maskEdits: z.object({
    version: z.literal(1),
    tileSizePx: z.number().int().positive(),
    frames: z.array(z.object({ itemId: z.string(), frameIndex: z.number().int().min(0), width: z.number().int().positive(), height: z.number().int().positive(), tiles: z.array(tileSchema) })),
  }).nullable(),
});
/** Parsed {@link reloadRecordSchema}. */
export type ReloadRecord = z.output<typeof reloadRecordSchema>;

/** What the recovery prompt shows about a copy. */
export interface ReloadRecoverySummary {
  readonly projectName: string;
  readonly itemCount: number;
  readonly savedAt: string;
  readonly hasMaskEdits: boolean;
}

/** What a copy holds, before it is written. */
export interface ReloadRecordInput {
  sessionKey: string;
  projectPath: string | null;
  projectName: string;
  document: ProjectDocumentInput;
  maskEdits: SerializedMaskEdits;
  now?: Date;
}

/**
 * Writes the copy; when the edits exceed the storage quota, the document alone. Returns what was kept: `full`,
 * `withoutEdits`, or `none` when not even the document fit.
 */
export function writeReloadRecord(storage: RecoveryStorage, input: ReloadRecordInput): 'full' | 'withoutEdits' | 'none' {
  const base = { version: 1 as const, sessionKey: input.sessionKey, savedAt: (input.now ?? new Date()).toISOString(), projectPath: input.projectPath, projectName: input.projectName, document: input.document };
  for (const [record, result] of [[{ ...base, maskEdits: input.maskEdits }, 'full'], [{ ...base, maskEdits: null }, 'withoutEdits']] as const) {
    try {
      storage.setItem(reloadRecordKey, JSON.stringify(record));
      return result;
    } catch {
      // Quota exceeded: try without the edits.
    }
  }
  clearReloadRecord(storage);
  return 'none';
}

/** Removes the copy (a save, a discard). */
export function clearReloadRecord(storage: RecoveryStorage): void {
  try {
    storage.removeItem(reloadRecordKey);
  } catch {
    // Storage unavailable: nothing was kept either.
  }
}

/** The copy of this engine session with at least one item, or null; a copy of another session or a damaged one is removed. */
export function readReloadRecord(storage: RecoveryStorage, sessionKey: string): ReloadRecord | null {
  let text: string | null;
  try {
    text = storage.getItem(reloadRecordKey);
  } catch {
    return null;
  }
  if (text === null) return null;
  let parsed: ReturnType<typeof reloadRecordSchema.safeParse>;
  try {
    parsed = reloadRecordSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = reloadRecordSchema.safeParse(undefined);
  }
  if (!parsed.success || parsed.data.sessionKey !== sessionKey || parsed.data.document.items.length === 0) {
    clearReloadRecord(storage);
    return null;
  }
  return parsed.data;
}

/** What the prompt shows. */
export function summarizeReloadRecord(record: ReloadRecord): ReloadRecoverySummary {
  return { projectName: record.projectName, itemCount: record.document.items.length, savedAt: record.savedAt, hasMaskEdits: record.maskEdits !== null };
}

/**
 * Reopens the copy's items by path and answers as `openProject` would, so the studio loads it the same way: items
 * that no longer open are reported as failures, and their settings and edits are left out.
 */
export async function openReloadRecord(api: Pick<StudioApi, 'openPaths'>, record: ReloadRecord): Promise<OpenedProject> {
  const paths = [...new Set(record.document.items.map((item) => item.path))];
  const opened = await api.openPaths({ paths });
  const byPath = new Map(opened.items.map((info) => [info.path, info]));
  const idMap = new Map<string, string>();
  for (const item of record.document.items) {
    const info = byPath.get(item.path);
    if (info) idMap.set(item.id, info.id);
  }
  const items = [...new Map(opened.items.filter((info) => [...idMap.values()].includes(info.id)).map((info) => [info.id, info])).values()];
  const states = record.document.items.flatMap((item) => {
    const itemId = idMap.get(item.id);
    return itemId === undefined ? [] : [{ itemId, settings: item.settings, frameIndex: item.frameIndex }];
  });
  const maskEdits = (record.maskEdits?.frames ?? []).flatMap((frame) => {
    const itemId = idMap.get(frame.itemId);
    return itemId === undefined ? [] : [{ itemId, frameIndex: frame.frameIndex, edit: { width: frame.width, height: frame.height, tileSizePx: record.maskEdits!.tileSizePx, tiles: frame.tiles } }];
  });
  const warnings = record.maskEdits === null ? ['The hand edits were too large to keep across the reload; the rest of the work was recovered.'] : [];
  const activeItemId = record.document.activeItemId === null ? null : (idMap.get(record.document.activeItemId) ?? null);
  return {
    project: { path: record.projectPath, name: record.projectName, projectId: null },
    items,
    states,
    activeItemId,
    ...(record.document.view ? { view: record.document.view } : {}),
    ...(record.document.backgroundPicture ? { backgroundPicture: record.document.backgroundPicture } : {}),
    maskEdits,
    failures: opened.failures,
    warnings,
    isUnsaved: true,
  };
}
