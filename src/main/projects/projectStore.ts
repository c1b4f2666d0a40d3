/**
 * Opens and saves `.mattestudio` projects (format: `src/shared/projectFile.ts`; tiles: `tileBlobs.ts`).
 *
 * Save order, which is what makes "every start opens the old or the new version, never a mix" true:
 *   1. write the tile blobs the new version needs into `<file>.d/` (each temp + fsync + rename), fsync the folder;
 *   2. replace the project JSON atomically (temp + fsync + rename) and fsync its folder: the switch;
 *   3. delete blobs the new JSON does not name.
 * A crash before 2 leaves the old JSON, whose blobs step 1 never touches; a crash after 2 leaves the new JSON, whose
 * blobs were durable before it was. Saves and opens of one path run one at a time, so step 3 never races another
 * save or a read in this process (another process reading mid-save may see a blob vanish: it gets a warning).
 */
import { copyFile, link, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { isStudioError, StudioError } from '../../shared/errors';
import {
  backgroundFileNamePattern,
  currentProjectVersion,
  projectDocumentSchema,
  projectExtension,
  projectFileV2Schema,
  projectFormatName,
  randomProjectId,
  readProjectJson,
  type ProjectDocument,
  type ProjectFile,
} from '../../shared/projectFile';
import { ensureFolder, keepAside, pathExists, writeJsonDurably } from './durableFiles';
import { addRecentProject } from './recentProjects';
import { findBackgroundInSidecars, keepBackgroundInSidecar, removeUnreferencedBackgrounds } from './backgroundFiles';
import { checkFrameTiles, readFrameBlobs, removeUnreferencedBlobs, writeFrameBlobs, type FrameTiles, type ProjectTiles } from './tileBlobs';
import { framesFromLegacy } from './tileWire';
import { makeFolder } from '../files/makeFolder';

export { addRecentProject, loadRecentProjects, removeRecentProject, type RecentProject } from './recentProjects';
export type { FrameTiles, ProjectTiles, TileData } from './tileBlobs';

/** An opened project: item paths already point at the media where it was found. */
export interface OpenedProject {
  readonly path: string;
  readonly project: ProjectFile;
  readonly tiles: FrameTiles[];
  /** The "On picture" view's picture as the sidecar holds it; absent when the project has none or it was not found. */
  readonly backgroundPicture?: { readonly name: string; readonly path: string };
  /** Plain sentences for the user: settings reset, media not found, hand edits skipped. */
  readonly warnings: string[];
}

/** The sidecar folder of a project file. */
export function sidecarFolderFor(projectPath: string): string {
  return `${projectPath}.d`;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs tasks for one path one after another (a failed task does not block the next). */
function serialize<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => {});
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return run;
}

/** The media path relative to the project folder, `/`-separated; undefined across drives (Windows). */
function relativeMediaPath(projectFolder: string, mediaPath: string): string | undefined {
  const path = relative(projectFolder, mediaPath);
  return path === '' || isAbsolute(path) ? undefined : path.split(sep).join('/');
}

/** Refuses bad tiles before anything touches the disk (they come from the renderer: a trust boundary). */
function checkTiles(document: z.output<typeof projectDocumentSchema>, tiles: ProjectTiles): void {
  const ids = new Set(document.items.map((item) => item.id));
  const keys = new Set<string>();
  for (const frame of tiles) {
    const key = `${frame.itemId}:${frame.frameIndex}`;
    const problem = !ids.has(frame.itemId) ? 'belongs to no item' : keys.has(key) ? 'appears twice' : checkFrameTiles(frame);
    if (problem) throw new StudioError('INVALID_INPUT', 'The hand edits could not be saved because they are malformed.', `frame ${key} ${problem}`);
    keys.add(key);
  }
}

/**
 * Saves a project to `path` (an existing folder). `projectId` and `createdAt` from the document are kept, so a
 * re-save stays the same project. Resolves once the new version is durable; returns what was written.
 */
export async function saveProject(path: string, document: ProjectDocument, tiles: ProjectTiles, now = new Date()): Promise<ProjectFile> {
  const fullPath = resolve(path);
  const parsed = projectDocumentSchema.safeParse(document);
  if (!parsed.success) throw new StudioError('INVALID_INPUT', 'The project could not be saved because its contents are malformed.', parsed.error.message);
  const doc = parsed.data;
  checkTiles(doc, tiles);
  return serialize(fullPath, async () => {
    const sidecar = sidecarFolderFor(fullPath);
    await ensureFolder(sidecar);
    const frames = await writeFrameBlobs(sidecar, tiles);
    const backgroundPicture = doc.backgroundPicture === undefined ? undefined : await keepBackgroundInSidecar(sidecar, doc.backgroundPicture);
    const project: ProjectFile = projectFileV2Schema.parse({
      format: projectFormatName,
      version: currentProjectVersion,
      projectId: doc.projectId ?? randomProjectId(),
      createdAt: doc.createdAt ?? now.toISOString(),
      savedAt: now.toISOString(),
      items: doc.items.map((item) => {
        const relativePath = relativeMediaPath(dirname(fullPath), item.path);
        return relativePath === undefined ? item : { ...item, relativePath };
      }),
      activeItemId: doc.activeItemId,
      ...(doc.view === undefined ? {} : { view: doc.view }),
      ...(doc.exportDefaults === undefined ? {} : { exportDefaults: doc.exportDefaults }),
      ...(backgroundPicture === undefined ? {} : { backgroundPicture }),
      maskEdits: { folder: basename(sidecar), frames },
    });
    await writeJsonDurably(fullPath, project);
    await removeUnreferencedBlobs(sidecar, new Set(frames.map((frame) => frame.blob)));
    await removeUnreferencedBackgrounds(sidecar, backgroundPicture?.file);
    return project;
  });
}

/**
 * Saves under a new name as a new project (fresh id and creation time, so its recovery copy never collides with the
 * original's). Adds the `.mattestudio` extension when missing and records the path in the recent list when given a
 * settings folder.
 */
export async function saveProjectAs(
  path: string,
  document: ProjectDocument,
  tiles: ProjectTiles,
  options: { settingsFolder?: string; now?: Date } = {},
): Promise<{ path: string; project: ProjectFile }> {
  const fullPath = resolve(path.endsWith(projectExtension) ? path : `${path}${projectExtension}`);
  const project = await saveProject(fullPath, { ...document, projectId: undefined, createdAt: undefined }, tiles, options.now);
  if (options.settingsFolder !== undefined) await addRecentProject(options.settingsFolder, fullPath);
  return { path: fullPath, project };
}

/**
 * Keeps a damaged project aside and returns the sentence that tells the user where: a copy of the JSON, plus hard
 * links (copies where links fail) to every tile blob and background picture in a sub-folder named like the copy, because the next save's
 * clean-up would otherwise delete the tiles the damaged file named. Never throws: opening changed nothing, so a
 * failure here only changes what the message says.
 */
async function keepDamagedProjectAside(fullPath: string, settingsFolder: string | undefined): Promise<string> {
  // Only in the settings folder: nothing is ever created beside the user's file (which may not even be a project).
  if (settingsFolder === undefined || !fullPath.toLowerCase().endsWith(projectExtension)) return 'The file itself was not changed.';
  let aside: string;
  try {
    const folder = join(settingsFolder, damagedProjectsFolderName);
    await ensureFolder(folder);
    aside = await keepAside(fullPath, 'copy', Date.now(), folder);
  } catch {
    return 'A copy could not be kept (the settings folder is not writable); the file itself was not changed.';
  }
  const sidecar = sidecarFolderFor(fullPath);
  const blobs = (await readdir(sidecar).catch(() => [] as string[])).filter((name) => name.endsWith('.mstiles') || backgroundFileNamePattern.test(name));
  try {
    if (blobs.length > 0) {
      const keptTiles = sidecarFolderFor(aside);
      await makeFolder(keptTiles);
      for (const name of blobs) await link(join(sidecar, name), join(keptTiles, name)).catch(() => copyFile(join(sidecar, name), join(keptTiles, name)));
    }
  } catch {
    return `A copy was kept as ${aside} (its hand edits could not be copied).`;
  }
  return `A copy was kept as ${aside}.`;
}

/** The settings sub-folder where damaged projects are kept aside. */
export const damagedProjectsFolderName = 'damaged-projects';

/** Largest project JSON read (the hand edits live in the sidecar folder, so real projects are far smaller). */
export const maxProjectFileBytes = 64 * 1024 * 1024;

/**
 * A JSON parse failure described without the file's content (V8's messages quote the text near the error, and the
 * detail travels to the renderer and the log).
 */
function jsonErrorDetail(error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  return position === undefined ? 'not valid JSON' : `not valid JSON (at byte ${position})`;
}

/** Reads and checks the JSON; damaged files are kept aside before the error is thrown. */
async function readProjectFile(fullPath: string, settingsFolder: string | undefined) {
  const name = basename(fullPath);
  let text: string;
  try {
    // Devices, pipes and huge files are refused before reading (opening /dev/zero must not hang or fill memory).
    const info = await stat(fullPath);
    if (info.isDirectory()) throw new StudioError('INVALID_INPUT', `${name} is a folder, not a Matte Studio project.`);
    if (!info.isFile() || info.size > maxProjectFileBytes) throw new StudioError('INVALID_INPUT', `${name} is not a Matte Studio project.`, `size ${info.size}`);
    text = await readFile(fullPath, 'utf8');
  } catch (error) {
    if (isStudioError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('FILE_NOT_FOUND', `The project ${name} was not found.`, String(error));
    throw new StudioError('INVALID_INPUT', `The project ${name} could not be read.`, String(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!fullPath.toLowerCase().endsWith(projectExtension)) throw new StudioError('INVALID_INPUT', `${name} is not a Matte Studio project.`, jsonErrorDetail(error));
    const kept = await keepDamagedProjectAside(fullPath, settingsFolder);
    throw new StudioError('PROJECT_DAMAGED', `The project ${name} is damaged (it is not valid JSON) and cannot be opened. ${kept}`, jsonErrorDetail(error));
  }
  try {
    return readProjectJson(json);
  } catch (error) {
    // Only a file that says it is a project counts as damaged; any other JSON is simply not ours to keep.
    const isOurs = typeof json === 'object' && json !== null && (json as { format?: unknown }).format === projectFormatName;
    if (!isOurs || !isStudioError(error, 'PROJECT_DAMAGED')) throw error;
    const kept = await keepDamagedProjectAside(fullPath, settingsFolder);
    throw new StudioError('PROJECT_DAMAGED', `The project ${name} is damaged and cannot be opened (${error.message}). ${kept}`, error.detail, { cause: error });
  }
}

/**
 * Opens a project. A damaged `.mattestudio` file is copied aside into `<settingsFolder>/damaged-projects/` when a
 * settings folder is given (never beside the file); error details never carry the file's content. Media is looked for beside the project first (its relative path, so a moved project folder
 * still finds its media), then at the absolute path it had. Throws a StudioError for missing, damaged or newer files.
 */
export function openProject(path: string, options: { settingsFolder?: string } = {}): Promise<OpenedProject> {
  const fullPath = resolve(path);
  // Queued with saves to the same path: a save's clean-up must not delete blobs between our JSON read and blob reads.
  return serialize(fullPath, () => readProject(fullPath, options.settingsFolder));
}

async function readProject(fullPath: string, settingsFolder: string | undefined): Promise<OpenedProject> {
  const { project, legacyMaskEdits, warnings } = await readProjectFile(fullPath, settingsFolder);
  const folder = dirname(fullPath);
  const items = [];
  for (const item of project.items) {
    const candidates = item.relativePath === undefined ? [item.path] : [resolve(folder, ...item.relativePath.split('/')), item.path];
    let found: string | undefined;
    for (const candidate of candidates) if (await pathExists(candidate)) { found = candidate; break; }
    if (found === undefined) warnings.push(`“${basename(item.path)}” was not found at ${item.path}.`);
    items.push({ ...item, path: found ?? item.path });
  }
  const sidecars = [...new Set([sidecarFolderFor(fullPath), join(folder, project.maskEdits.folder)])];
  const read = await readFrameBlobs(sidecars, project.maskEdits.frames);
  warnings.push(...read.warnings);
  const tiles = read.frames;
  if (legacyMaskEdits !== undefined) {
    const ids = new Set(project.items.map((item) => item.id));
    const legacy = framesFromLegacy(legacyMaskEdits);
    warnings.push(...legacy.warnings);
    tiles.push(...legacy.frames.filter((frame) => ids.has(frame.itemId)));
  }
  let backgroundPicture: OpenedProject['backgroundPicture'];
  if (project.backgroundPicture !== undefined) {
    const path = await findBackgroundInSidecars(sidecars, project.backgroundPicture);
    if (path === undefined) warnings.push(`The background picture “${project.backgroundPicture.name}” was not found beside the project.`);
    else backgroundPicture = { name: project.backgroundPicture.name, path };
  }
  return { path: fullPath, project: { ...project, items }, tiles, warnings, ...(backgroundPicture ? { backgroundPicture } : {}) };
}
