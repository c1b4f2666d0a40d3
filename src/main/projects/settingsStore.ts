/**
 * App settings (`settings.json` in the settings folder): theme, last folders, default export formats, autosave.
 * Persisted data is a trust boundary (DESIGN §4): each field is checked on its own, so one bad value resets only
 * itself. Any damage gives a warning, moves the original aside as `.bad-<time>` (nothing silently lost) and writes
 * back the repaired settings, so the next start is clean instead of warning again.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { clipExportFormats, stillExportFormats } from '../../shared/contract/studioContract';
import { ensureFolder, keepAside, readTextIfPresent, writeJsonDurably } from './durableFiles';

/** Colour themes. */
export const themes = ['system', 'light', 'dark'] as const;

/** Longest recent-folders list kept. */
export const maximumRecentFolders = 10;

const folderPathSchema = z.string().min(1).max(4096);

/** Every app setting with its default. */
export const appSettingsSchema = z.object({
  theme: z.enum(themes).default('system'),
  /** Folder the export dialog opened last; null until the first export. */
  lastExportFolder: folderPathSchema.nullable().default(null),
  /** Folder the open dialog showed last. */
  lastOpenFolder: folderPathSchema.nullable().default(null),
  defaultStillFormat: z.enum(stillExportFormats).default('png'),
  defaultClipFormat: z.enum(clipExportFormats).default('prores'),
  /** Newest first. */
  recentFolders: z.array(folderPathSchema).max(maximumRecentFolders).default([]),
  /** Preferred model; null means the best installed one. */
  preferredModelId: z.string().min(1).max(200).nullable().default(null),
  isAutosaveEnabled: z.boolean().default(true),
});
/** Parsed {@link appSettingsSchema}. */
export type AppSettings = z.output<typeof appSettingsSchema>;

const fileName = 'settings.json';

/** Defaults for every setting (a fresh object each call). */
export function defaultAppSettings(): AppSettings {
  return appSettingsSchema.parse({});
}

/** Checks each field separately; bad ones take their default and are named in `badFields`. */
function salvage(raw: unknown): { settings: AppSettings; badFields: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { settings: defaultAppSettings(), badFields: ['(whole file)'] };
  const record = raw as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  const badFields: string[] = [];
  for (const [key, schema] of Object.entries(appSettingsSchema.shape)) {
    const field = schema.safeParse(record[key]);
    if (field.success) settings[key] = field.data;
    else {
      badFields.push(key);
      settings[key] = schema.parse(undefined);
    }
  }
  return { settings: appSettingsSchema.parse(settings), badFields };
}

/** Reads the settings; missing → defaults, damaged → repaired defaults plus a warning (original kept aside). */
export async function loadAppSettings(settingsFolder: string): Promise<{ settings: AppSettings; warnings: string[] }> {
  const path = join(settingsFolder, fileName);
  const text = await readTextIfPresent(path);
  if (text === undefined) return { settings: defaultAppSettings(), warnings: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const { settings, badFields } = salvage(raw);
  if (badFields.length === 0) return { settings, warnings: [] };
  const aside = await keepAside(path, 'move');
  await writeJsonDurably(path, settings);
  return { settings, warnings: [`Some settings were damaged and were reset to their defaults (${badFields.join(', ')}); the old file was kept as ${aside}.`] };
}

/** Saves the settings atomically and durably. Invalid settings throw (a caller bug, never written). */
export async function saveAppSettings(settingsFolder: string, settings: AppSettings): Promise<void> {
  await ensureFolder(settingsFolder);
  await writeJsonDurably(join(settingsFolder, fileName), appSettingsSchema.parse(settings));
}

const queues = new Map<string, Promise<unknown>>();

/** Applies a change to the saved settings (read, patch, write, one at a time per folder). Returns the new settings. */
export function updateAppSettings(settingsFolder: string, patch: Partial<AppSettings>): Promise<AppSettings> {
  const run = (queues.get(settingsFolder) ?? Promise.resolve()).then(async () => {
    const { settings } = await loadAppSettings(settingsFolder);
    const next = appSettingsSchema.parse({ ...settings, ...patch });
    await saveAppSettings(settingsFolder, next);
    return next;
  });
  queues.set(
    settingsFolder,
    run.catch(() => {}),
  );
  return run;
}

/** The settings with `folder` moved to the top of the recent folders (pure; save the result). */
export function withRecentFolder(settings: AppSettings, folder: string): AppSettings {
  const path = resolve(folder);
  return { ...settings, recentFolders: [path, ...settings.recentFolders.filter((entry) => entry !== path)].slice(0, maximumRecentFolders) };
}
