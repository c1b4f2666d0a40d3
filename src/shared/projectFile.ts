/**
 * The `.mattestudio` project format: one JSON file plus a sidecar folder `<name>.mattestudio.d/` of binary hand-edit
 * tiles (see `src/main/projects/tileBlobs.ts`). The JSON names each tile blob by its SHA-256, so it is the single
 * pointer that decides which tiles belong to the project: replacing it atomically switches versions as a whole.
 *
 * Reading is a trust boundary (DESIGN §4). The envelope (format, version, items) must be sound or the file counts as
 * damaged; the parts that only make things look or start a certain way (per-item settings, view, export defaults,
 * the active item, unknown tile owners) fall back to safe defaults with a warning, so one bad value never costs the
 * artist a whole project. Older versions are migrated step by step; newer ones are refused in plain words.
 */
import { z } from 'zod';
import { clipExportFormats, stillExportFormats } from './contract/studioContract';
import { StudioError } from './errors';
import { refinementSettingsSchema, type RefinementSettings } from './settings';

/** The `format` field of every project file. */
export const projectFormatName = 'matte-studio-project';
/** The version this build writes; it reads every version up to this one. */
export const currentProjectVersion = 2;
/** The project file's extension, with the dot. */
export const projectExtension = '.mattestudio';
/** Side of a hand-edit tile in pixels (the renderer's `tileSizePx`); blobs store it so another size is refused. */
export const maskTileSizePx = 128;

/** Absolute POSIX (`/…`), Windows drive (`C:\…`) or UNC (`\\server\…`) path. Checked by shape: no Node here. */
const absolutePathSchema = z.string().min(1).max(4096).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path');
/** Ids end up in file names (recovery copies), so they are kept to a portable alphabet. */
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _');
const isoTimeSchema = z.iso.datetime({ offset: true });

/** View modes the canvas knows; keep in step with the renderer's `viewModes`. An unknown one drops the saved view. */
export const projectViewModes = ['overlay', 'black', 'white', 'checker', 'color', 'image', 'matte', 'original', 'split'] as const;

/** Canvas view saved with the project (never undoable, so a bad one is simply dropped). */
export const projectViewSchema = z.object({
  zoom: z.number().min(1 / 64).max(64),
  panX: z.number(),
  panY: z.number(),
  viewMode: z.enum(projectViewModes),
  overlayColor: z.string().max(64),
  overlayOpacity: z.number().min(0).max(1),
  backgroundColor: z.string().max(64),
  splitFraction: z.number().min(0).max(1),
});
/** Parsed {@link projectViewSchema}. */
export type ProjectView = z.output<typeof projectViewSchema>;

/** File names of kept background pictures: a content hash and the picture's format (see `backgroundPictures.ts`). */
export const backgroundFileNamePattern = /^[0-9a-f]{32}\.[a-z0-9]{2,5}$/;

/** The "On picture" view's picture, kept in the sidecar folder under its content name. */
export const projectBackgroundSchema = z.object({
  /** The file name the artist chose (shown; never used as a path). */
  name: z.string().min(1).max(255),
  file: z.string().regex(backgroundFileNamePattern, 'a kept picture name'),
});
/** Parsed {@link projectBackgroundSchema}. */
export type ProjectBackground = z.output<typeof projectBackgroundSchema>;

/** What the export dialog starts with for this project. */
export const exportDefaultsSchema = z.object({
  stillFormat: z.enum(stillExportFormats).optional(),
  clipFormat: z.enum(clipExportFormats).optional(),
  outputFolder: absolutePathSchema.optional(),
  /** CSS colour behind the cut-out, for formats without alpha. */
  background: z.string().max(64).optional(),
});
/** Parsed {@link exportDefaultsSchema}. */
export type ExportDefaults = z.output<typeof exportDefaultsSchema>;

/** One picture or clip of a version-2 project. */
export const projectItemSchema = z.object({
  id: idSchema,
  /** Where the media was when the project was saved. */
  path: absolutePathSchema,
  /** The media relative to the project file's folder, `/`-separated; absent when on another drive. Tried first. */
  relativePath: z.string().min(1).max(4096).optional(),
  kind: z.enum(['image', 'clip']),
  settings: refinementSettingsSchema,
  frameIndex: z.number().int().min(0),
  modelId: z.string().min(1).max(200).optional(),
});
/** Parsed {@link projectItemSchema}. */
export type ProjectItem = z.output<typeof projectItemSchema>;

/** One edited frame's tile blob in the sidecar folder. */
export const maskBlobEntrySchema = z.object({
  itemId: idSchema,
  frameIndex: z.number().int().min(0),
  /** SHA-256 (hex) of the blob's uncompressed payload; also its file name. */
  blob: z.string().regex(/^[0-9a-f]{64}$/),
  byteLength: z.number().int().min(0),
});
/** Parsed {@link maskBlobEntrySchema}. */
export type MaskBlobEntry = z.output<typeof maskBlobEntrySchema>;

/** True when no two items share an id (a refine: zod has no unique-by). */
const hasUniqueIds = (values: readonly { id: string }[]) => new Set(values.map((value) => value.id)).size === values.length;

/** Version 2: the current format. */
export const projectFileV2Schema = z.object({
  format: z.literal(projectFormatName),
  version: z.literal(2),
  /** Stable across saves (names the recovery copy); Save As makes a new one. */
  projectId: idSchema,
  createdAt: isoTimeSchema,
  savedAt: isoTimeSchema,
  items: z.array(projectItemSchema).max(100_000).refine(hasUniqueIds, 'item ids must be unique'),
  activeItemId: idSchema.nullable(),
  view: projectViewSchema.optional(),
  exportDefaults: exportDefaultsSchema.optional(),
  backgroundPicture: projectBackgroundSchema.optional(),
  maskEdits: z.object({
    /** Sidecar folder name beside the project file, tried when `<file name>.d` is missing. */
    folder: z.string().min(1).max(255).regex(/^(?!\.\.?$)[^/\\]+$/, 'a plain folder name'),
    frames: z.array(maskBlobEntrySchema).refine((frames) => new Set(frames.map((frame) => `${frame.itemId}:${frame.frameIndex}`)).size === frames.length, 'one blob per frame'),
  }),
});
/** A current-version project file. */
export type ProjectFile = z.output<typeof projectFileV2Schema>;

/**
 * What the studio hands to a save: the document's part of a project. The store adds format, version, times,
 * relative paths and the tile manifest; `projectId` and `createdAt` are kept when given (from the opened project).
 */
export const projectDocumentSchema = z.object({
  projectId: idSchema.optional(),
  createdAt: isoTimeSchema.optional(),
  items: z.array(projectItemSchema.omit({ relativePath: true })).max(100_000).refine(hasUniqueIds, 'item ids must be unique'),
  activeItemId: idSchema.nullable(),
  view: projectViewSchema.optional(),
  exportDefaults: exportDefaultsSchema.optional(),
  /** The picture to keep with the project: the engine's kept copy, copied into the sidecar folder on save. */
  backgroundPicture: z.object({ name: z.string().min(1).max(255), path: absolutePathSchema }).optional(),
});
/** Parsed {@link projectDocumentSchema}. */
export type ProjectDocument = z.input<typeof projectDocumentSchema>;

/**
 * Version 1 (Matte Studio 0.x): settings were `refinement` with short names, media was `file` with no relative path,
 * clips were `video`, and hand edits sat inline as the renderer's base64 tiles (large files, slow saves).
 */
export const projectFileV1Schema = z.object({
  format: z.literal(projectFormatName),
  version: z.literal(1),
  created: isoTimeSchema,
  modified: isoTimeSchema.optional(),
  items: z.array(
    z.object({
      id: idSchema,
      file: absolutePathSchema,
      type: z.enum(['image', 'video']),
      refinement: z.record(z.string(), z.unknown()).optional(),
      frame: z.number().int().min(0).default(0),
      model: z.string().min(1).optional(),
    }),
  ),
  active: idSchema.nullable().default(null),
  /** The renderer's `SerializedMaskEdits` (checked when decoded, frame by frame). */
  maskEdits: z.unknown().optional(),
});

/** v1 `refinement` names → v2 `settings` names. */
const v1SettingNames: Record<string, keyof RefinementSettings> = {
  radius: 'radiusPx',
  spill: 'spillStrength',
  cartoon: 'cartoonMode',
  feather: 'featherPx',
  shift: 'shiftEdgePx',
  contrast: 'contrast',
  smooth: 'smoothPx',
};

/** A migrated, checked project; `legacyMaskEdits` holds v1 inline edits for the store to decode. */
export interface ReadProjectResult {
  project: ProjectFile;
  legacyMaskEdits?: unknown;
  warnings: string[];
}

const damaged = (why: string, detail?: string) => new StudioError('PROJECT_DAMAGED', `The project file is damaged: ${why}.`, detail);

/** Short, readable summary of a zod error for messages (the full text goes to `detail`). */
function summarize(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'file'}: ${first.message}` : 'invalid';
}

/**
 * Migrates any supported version to the current one without checking the current-version fields (see
 * {@link readProjectJson}). Throws a StudioError for files that are not projects or come from a newer Matte Studio.
 */
export function migrateProject(json: unknown, newProjectId: () => string = randomProjectId): { migrated: Record<string, unknown>; legacyMaskEdits?: unknown } {
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== projectFormatName) {
    throw new StudioError('INVALID_INPUT', 'This file is not a Matte Studio project.');
  }
  const version = (json as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw damaged('its version is missing', `version: ${String(version)}`);
  if (version > currentProjectVersion) {
    throw new StudioError(
      'PROJECT_TOO_NEW',
      `This project was made by a newer Matte Studio (project format ${version}); this version opens formats up to ${currentProjectVersion}. Update Matte Studio to open it.`,
    );
  }
  if (version === currentProjectVersion) return { migrated: { ...(json as Record<string, unknown>) } };
  const parsed = projectFileV1Schema.safeParse(json);
  if (!parsed.success) throw damaged(summarize(parsed.error), parsed.error.message);
  const v1 = parsed.data;
  const items = v1.items.map((item) => ({
    id: item.id,
    path: item.file,
    kind: item.type === 'video' ? 'clip' : 'image',
    settings: Object.fromEntries(Object.entries(item.refinement ?? {}).map(([name, value]) => [v1SettingNames[name] ?? name, value])),
    frameIndex: item.type === 'video' ? item.frame : 0,
    ...(item.model === undefined ? {} : { modelId: item.model }),
  }));
  const migrated = {
    format: projectFormatName,
    version: currentProjectVersion,
    projectId: newProjectId(),
    createdAt: v1.created,
    savedAt: v1.modified ?? v1.created,
    items,
    activeItemId: v1.active,
    maskEdits: { folder: 'none', frames: [] },
  };
  return v1.maskEdits === undefined ? { migrated } : { migrated, legacyMaskEdits: v1.maskEdits };
}

/**
 * Reads parsed JSON of any supported version into a checked current-version project. Optional parts that are bad
 * become defaults with a warning; a bad envelope throws a StudioError (`INVALID_INPUT`, "damaged").
 */
export function readProjectJson(json: unknown, newProjectId: () => string = randomProjectId): ReadProjectResult {
  const { migrated, legacyMaskEdits } = migrateProject(json, newProjectId);
  const warnings: string[] = [];
  // A non-array `items` is left alone so the strict parse below reports the file as damaged.
  if (Array.isArray(migrated.items)) migrated.items = migrated.items.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const item = raw as Record<string, unknown>;
    const settings = refinementSettingsSchema.safeParse(item.settings ?? {});
    if (settings.success) return { ...item, settings: settings.data };
    warnings.push(`The settings of item ${index + 1} were not readable and were reset to the defaults.`);
    return { ...item, settings: refinementSettingsSchema.parse({}) };
  });
  for (const [key, schema, warning] of [
    ['view', projectViewSchema, 'The saved view was not readable and was reset.'],
    ['exportDefaults', exportDefaultsSchema, 'The export defaults were not readable and were reset.'],
    ['backgroundPicture', projectBackgroundSchema, 'The background picture was not readable and was left out.'],
  ] as const) {
    if (migrated[key] !== undefined && !schema.safeParse(migrated[key]).success) {
      warnings.push(warning);
      delete migrated[key];
    }
  }
  const parsed = projectFileV2Schema.safeParse(migrated);
  if (!parsed.success) throw damaged(summarize(parsed.error), parsed.error.message);
  const project = parsed.data;
  const ids = new Set(project.items.map((item) => item.id));
  if (project.activeItemId !== null && !ids.has(project.activeItemId)) {
    warnings.push('The active item was not in the project; the first item is shown instead.');
    project.activeItemId = project.items[0]?.id ?? null;
  }
  const orphans = project.maskEdits.frames.filter((frame) => !ids.has(frame.itemId));
  if (orphans.length > 0) {
    warnings.push(`${orphans.length} hand-edited frame(s) belonged to no item and were skipped.`);
    project.maskEdits.frames = project.maskEdits.frames.filter((frame) => ids.has(frame.itemId));
  }
  return legacyMaskEdits === undefined ? { project, warnings } : { project, legacyMaskEdits, warnings };
}

/** A new project id (a UUID: its characters are all in the id alphabet). */
export function randomProjectId(): string {
  return globalThis.crypto.randomUUID();
}
