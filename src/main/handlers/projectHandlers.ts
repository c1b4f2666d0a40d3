/**
 * The engine side of the project requests (`src/shared/contract/projectMethods.ts`): saving and opening projects
 * with the hand edits the engine holds, the recent list, and this studio's autosave session.
 *
 * Autosave starts on the first `markDocumentChanged` (a studio that never changed anything leaves nothing behind);
 * its snapshot is the latest document the renderer sent plus the edits in the mask-edit store. `close()` (host
 * close, window closed) ends the session cleanly, so no recovery is offered next time; a crash leaves the copy.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import type { projectDocumentStateSchema } from '../../shared/contract/projectMethods';
import type { StudioContract } from '../../shared/contract/studioContract';
import { StudioError, toErrorData } from '../../shared/errors';
import { maskTileSizePx, projectDocumentSchema, projectExtension, projectViewSchema, type ProjectDocument } from '../../shared/projectFile';
import type { ContractHandlers, HandlerContext, MethodOutput } from '../../shared/rpc/defineContract';
import type { MaskEdit } from '../../core/matting/maskEdit';
import { defaultWriteScope, type WriteScope } from '../files/writeScope';
import { discardRecoverableSession, findRecoverableSessions, startAutosave, type AutosaveSession } from '../projects/autosave';
import { pathExists } from '../projects/durableFiles';
import { addRecentProject, loadRecentProjects, openProject, saveProject, saveProjectAs, type FrameTiles, type OpenedProject, type TileData } from '../projects/projectStore';
import { loadAppSettings } from '../projects/settingsStore';
import { frameTilesToWire } from '../projects/tileWire';
import type { BackgroundPictures } from './backgroundPictures';
import type { ItemRegistry } from './itemRegistry';
import { maskEditFromTiles, type MaskEditStore } from './maskEdits';
import { readEnvironment } from '../environment';

type ProjectMethodName =
  | 'saveProject' | 'openProject' | 'listRecentProjects' | 'listRecoverableSessions' | 'recoverSession' | 'discardRecoverableSession'
  | 'markDocumentChanged' | 'getStartupPaths';
type OpenedOutput = MethodOutput<StudioContract, 'openProject'>;
type DocumentState = z.output<typeof projectDocumentStateSchema>;

/** The settings folder when none is given: `MATTE_STUDIO_SETTINGS_DIR`, else `~/.matte-studio`. */
export function defaultSettingsFolder(): string {
  return resolve(readEnvironment().settingsDir);
}

/** What the project handlers work with. */
export interface ProjectServiceOptions {
  items: ItemRegistry;
  maskEdits: MaskEditStore;
  /** Recent list, app settings and recovery copies. */
  settingsFolder: string;
  /** The kept "On picture" pictures: a save copies the document's one into the project, an open keeps it again. */
  backgrounds?: Pick<BackgroundPictures, 'store' | 'holds'>;
  /** Files and folders the studio was started with (`getStartupPaths` answers them once). */
  startupPaths?: readonly string[];
  /** Autosave debounce in milliseconds (tests pass short ones). */
  autosave?: { quietMs?: number; maximumDelayMs?: number };
  /** Hears each project path opened or saved (Electron adds it to the OS recent documents). */
  onProjectPath?: (path: string) => void;
  /** Called when the renderer asks for its startup paths: it listens for `onOpenRequest` from then on. */
  onRendererReady?: () => void;
  onError?: (error: unknown) => void;
  /**
   * Where saves may go (see `files/writeScope.ts`). The settings folder, the startup paths' folders and each opened
   * or saved project's folder are added to it. @default defaultWriteScope
   */
  writeScope?: WriteScope;
}

/** The project handlers and the session they keep. */
export interface ProjectService {
  readonly handlers: Pick<ContractHandlers<StudioContract>, ProjectMethodName>;
  /** Clean shutdown: stops autosave and deletes this session's recovery folder. */
  close(): Promise<void>;
}

const untitled = 'Untitled';
const nameOf = (path: string | null) => (path === null ? untitled : basename(path).replace(/\.mattestudio$/i, ''));

/** The non-empty 128 px tiles of an edit, as the project store writes them (all-zero planes left empty). */
function frameTilesOf(itemId: string, frameIndex: number, edit: MaskEdit): FrameTiles | undefined {
  const tiles: TileData[] = [];
  const size = maskTileSizePx;
  for (let y0 = 0; y0 < edit.height; y0 += size) {
    for (let x0 = 0; x0 < edit.width; x0 += size) {
      const width = Math.min(size, edit.width - x0);
      const height = Math.min(size, edit.height - y0);
      const [add, remove, refineEdge] = [edit.add, edit.remove, edit.refineEdge].map((plane) => {
        const tile = new Uint8Array(width * height);
        for (let row = 0; row < height; row++) tile.set(plane.subarray((y0 + row) * edit.width + x0, (y0 + row) * edit.width + x0 + width), row * width);
        return tile.some((value) => value !== 0) ? tile : new Uint8Array(0);
      }) as [Uint8Array, Uint8Array, Uint8Array];
      if (add.length > 0 || remove.length > 0 || refineEdge.length > 0) tiles.push({ tileX: x0 / size, tileY: y0 / size, add, remove, refineEdge });
    }
  }
  return tiles.length > 0 ? { itemId, frameIndex, width: edit.width, height: edit.height, tiles } : undefined;
}

/** Creates the project handlers over the studio's item registry and mask-edit store. */
export function createProjectService(options: ProjectServiceOptions): ProjectService {
  const { items, maskEdits, settingsFolder } = options;
  const scope = options.writeScope ?? defaultWriteScope;
  scope.allow(settingsFolder, 'settings');
  // Paths given on the command line (or by the OS) were chosen by the user: a folder itself, a file its folder.
  for (const path of options.startupPaths ?? []) {
    if (path.toLowerCase().endsWith(projectExtension)) scope.allowFileFolder(path, 'argument');
    else if (!/\.[a-z0-9]{1,5}$/i.test(basename(path))) scope.allow(path, 'argument');
  }
  let identity: { path: string | null; projectId: string | null; createdAt: string | null } = { path: null, projectId: null, createdAt: null };
  let latest: ProjectDocument = { items: [], activeItemId: null };
  /**
   * Items of the open project whose media did not open (moved, renamed, on an unplugged drive), with their hand edits.
   * The studio cannot show them, but every save and recovery copy keeps them, so a missing file costs no work: the
   * item opens again once its media is back.
   */
  let carried: { items: ProjectDocument['items']; tiles: FrameTiles[] } = { items: [], tiles: [] };
  let autosave: Promise<AutosaveSession | null> | undefined;
  let startupPaths: string[] | null = [...(options.startupPaths ?? [])];
  let isClosed = false;

  const report = (error: unknown) => options.onError?.(error);
  const identityOut = () => ({ path: identity.path, name: nameOf(identity.path), projectId: identity.projectId });
  const tilesOf = (document: ProjectDocument) =>
    document.items.flatMap((item) => [...maskEdits.ofItem(item.id)].flatMap(({ frameIndex, edit }) => frameTilesOf(item.id, frameIndex, edit) ?? []));
  /** What a save writes: the document, plus the carried items the studio could not open, with their edits. */
  const withCarried = (document: ProjectDocument): { document: ProjectDocument; tiles: FrameTiles[] } => {
    const shown = new Set(document.items.map((item) => item.id));
    const items = carried.items.filter((item) => !shown.has(item.id));
    const ids = new Set(items.map((item) => item.id));
    return { document: { ...document, items: [...document.items, ...items] }, tiles: [...tilesOf(document), ...carried.tiles.filter((frame) => ids.has(frame.itemId))] };
  };

  /** The renderer's document in the project format, carrying the open project's identity. */
  function toProjectDocument(state: DocumentState): ProjectDocument {
    const view = state.view && projectViewSchema.safeParse(state.view).success ? state.view : undefined;
    // Only a picture the engine keeps may be copied into a project: the path comes from the renderer.
    const picture = state.backgroundPicture && options.backgrounds?.holds(state.backgroundPicture.path) ? state.backgroundPicture : undefined;
    const parsed = projectDocumentSchema.safeParse({
      ...(identity.projectId === null ? {} : { projectId: identity.projectId }),
      ...(identity.createdAt === null ? {} : { createdAt: identity.createdAt }),
      items: state.items,
      activeItemId: state.activeItemId,
      ...(view ? { view } : {}),
      ...(picture ? { backgroundPicture: { name: picture.name, path: picture.path } } : {}),
    });
    if (!parsed.success) throw new StudioError('INVALID_INPUT', 'The project could not be saved because its contents are malformed.', parsed.error.message);
    return parsed.data as ProjectDocument;
  }

  function ensureAutosave(): Promise<AutosaveSession | null> {
    if (isClosed) return Promise.resolve(null);
    autosave ??= (async () => {
      const { settings } = await loadAppSettings(settingsFolder);
      if (!settings.isAutosaveEnabled) return null;
      return startAutosave({
        settingsFolder,
        snapshot: () => withCarried(latest),
        projectId: identity.projectId,
        projectPath: identity.path,
        ...options.autosave,
        onError: report,
      });
    })().catch((error: unknown) => {
      report(error);
      autosave = undefined;
      return null;
    });
    return autosave;
  }

  /** After a save or an open: the recovery copy goes and the session marker takes the project's identity. */
  async function markClean(): Promise<void> {
    const session = await autosave;
    await session?.markClean({ projectId: identity.projectId, projectPath: identity.path });
  }

  async function rememberPath(path: string): Promise<void> {
    options.onProjectPath?.(path);
    await addRecentProject(settingsFolder, path).catch(report);
  }

  /** Registers an opened project's media, loads its edits into the engine and builds the renderer's answer. */
  async function load(opened: OpenedProject, signal: AbortSignal, isUnsaved: boolean): Promise<OpenedOutput> {
    const { project } = opened;
    const warnings = [...opened.warnings];
    const result = project.items.length > 0 ? await items.open(project.items.map((item) => item.path), signal) : { items: [], failures: [] };
    const byPath = new Map(result.items.map((info) => [info.path, info]));
    const idMap = new Map<string, string>();
    for (const item of project.items) {
      const info = byPath.get(resolve(item.path));
      if (info && ![...idMap.values()].includes(info.id)) idMap.set(item.id, info.id);
      else if (!result.failures.some((failure) => failure.path === item.path)) warnings.push(`“${basename(item.path)}” could not be opened.`);
    }
    for (const registryId of idMap.values()) maskEdits.clearItem(registryId);
    const edits: OpenedOutput['maskEdits'] = [];
    let skipped = 0;
    for (const frame of opened.tiles) {
      const itemId = idMap.get(frame.itemId);
      if (itemId === undefined) {
        skipped++;
        continue;
      }
      const edit = frameTilesToWire(frame);
      maskEdits.set(itemId, frame.frameIndex, maskEditFromTiles({ ...edit, tileSizePx: maskTileSizePx }));
      edits.push({ itemId, frameIndex: frame.frameIndex, edit: { ...edit, tileSizePx: maskTileSizePx } });
    }
    carried = {
      items: project.items.filter((item) => !idMap.has(item.id)).map((item) => ({ id: item.id, path: item.path, kind: item.kind, settings: item.settings, frameIndex: item.frameIndex, ...(item.modelId === undefined ? {} : { modelId: item.modelId }) })),
      tiles: opened.tiles.filter((frame) => !idMap.has(frame.itemId)),
    };
    if (carried.items.length > 0) {
      const edited = skipped > 0 ? `, with ${skipped} hand-edited frame${skipped === 1 ? '' : 's'},` : '';
      warnings.push(`${carried.items.length === 1 ? 'The item whose media did not open stays' : `The ${carried.items.length} items whose media did not open stay`} in the project${edited} and ${carried.items.length === 1 ? 'opens' : 'open'} again once the file is back.`);
    }
    const states = project.items.flatMap((item) => {
      const itemId = idMap.get(item.id);
      return itemId === undefined ? [] : [{ itemId, settings: item.settings, frameIndex: item.frameIndex, ...(item.modelId === undefined ? {} : { modelId: item.modelId }) }];
    });
    const activeItemId = (project.activeItemId === null ? undefined : idMap.get(project.activeItemId)) ?? states[0]?.itemId ?? null;
    const kinds = new Map(result.items.map((info) => [info.id, info.kind]));
    latest = {
      projectId: project.projectId,
      createdAt: project.createdAt,
      items: project.items.flatMap((item) => {
        const id = idMap.get(item.id);
        return id === undefined ? [] : [{ id, path: byPath.get(resolve(item.path))!.path, kind: kinds.get(id) ?? item.kind, settings: item.settings, frameIndex: item.frameIndex, ...(item.modelId === undefined ? {} : { modelId: item.modelId }) }];
      }),
      activeItemId,
      ...(project.view === undefined ? {} : { view: project.view }),
    };
    const backgroundPicture = await keepOpenedBackground(opened, warnings);
    if (backgroundPicture) latest = { ...latest, backgroundPicture };
    const openedItems = result.items.filter((info) => [...idMap.values()].includes(info.id));
    return {
      project: identityOut(),
      items: openedItems,
      states,
      activeItemId,
      ...(project.view ? { view: project.view } : {}),
      ...(backgroundPicture ? { backgroundPicture } : {}),
      maskEdits: edits,
      failures: result.failures,
      warnings,
      isUnsaved,
    };
  }

  /** The opened project's picture, checked and kept again like a newly chosen one (so views and exports can use it). */
  async function keepOpenedBackground(opened: OpenedProject, warnings: string[]): Promise<{ name: string; path: string } | undefined> {
    const picture = opened.backgroundPicture;
    if (!picture || !options.backgrounds) return undefined;
    try {
      const stored = await options.backgrounds.store(picture.name, await readFile(picture.path));
      return { name: picture.name, path: stored.path };
    } catch (error) {
      warnings.push(`The background picture “${picture.name}” could not be used: ${toErrorData(error).message}`);
      return undefined;
    }
  }

  const handlers: ProjectService['handlers'] = {
    async saveProject(input) {
      const { document, tiles } = withCarried(toProjectDocument(input.document));
      const requested = input.path === undefined ? undefined : input.path.endsWith(projectExtension) ? input.path : `${input.path}${projectExtension}`;
      if (requested !== undefined && !isAbsolute(requested)) throw new StudioError('INVALID_INPUT', `Type the project's full path (for example /home/me/portrait${projectExtension}).`);
      if (requested !== undefined) await scope.assertWritableAsync(resolve(requested));
      let path: string;
      let savedAt: string;
      if (requested === undefined || resolve(requested) === identity.path) {
        if (identity.path === null) throw new StudioError('INVALID_INPUT', 'This project was never saved: choose where to save it (Save As).');
        path = identity.path;
        const file = await saveProject(path, document, tiles);
        identity = { path, projectId: file.projectId, createdAt: file.createdAt };
        savedAt = file.savedAt;
      } else {
        if (!input.replace && (await pathExists(resolve(requested)))) {
          throw new StudioError('OUTPUT_EXISTS', `${basename(requested)} already exists. Replace it?`, resolve(requested));
        }
        const saved = await saveProjectAs(requested, document, tiles);
        path = saved.path;
        identity = { path, projectId: saved.project.projectId, createdAt: saved.project.createdAt };
        savedAt = saved.project.savedAt;
      }
      latest = { ...document, projectId: identity.projectId!, createdAt: identity.createdAt! };
      scope.allowFileFolder(path, 'project');
      await rememberPath(path);
      await markClean();
      return { project: identityOut(), savedAt };
    },

    async openProject(input, context: HandlerContext<StudioContract>) {
      if (!isAbsolute(input.path)) throw new StudioError('INVALID_INPUT', `Type the project's full path (for example /home/me/portrait${projectExtension}).`);
      const opened = await openProject(input.path, { settingsFolder });
      identity = { path: opened.path, projectId: opened.project.projectId, createdAt: opened.project.createdAt };
      // The opened project's folder is the user's choice: saving it again (and exports beside it) may write there.
      scope.allow(dirname(opened.path), 'project');
      const output = await load(opened, context.signal, false);
      await rememberPath(opened.path);
      await markClean();
      return output;
    },

    async listRecentProjects() {
      const { projects, warnings } = await loadRecentProjects(settingsFolder);
      const withExistence = await Promise.all(projects.map(async (entry) => ({ ...entry, name: nameOf(entry.path), exists: await pathExists(entry.path) })));
      return { projects: withExistence, warnings };
    },

    async listRecoverableSessions() {
      const sessions = await findRecoverableSessions(settingsFolder);
      return {
        sessions: await Promise.all(
          sessions.map(async (session) => ({
            sessionId: session.sessionId,
            projectPath: session.projectPath,
            projectName: nameOf(session.projectPath),
            savedAt: session.savedAt.toISOString(),
            itemCount: await readFile(session.recoveryPath, 'utf8').then((text) => (JSON.parse(text) as { items?: unknown[] }).items?.length ?? 0, () => 0),
          })),
        ),
      };
    },

    async recoverSession(input, context) {
      const session = (await findRecoverableSessions(settingsFolder)).find((candidate) => candidate.sessionId === input.sessionId);
      if (!session) throw new StudioError('INVALID_INPUT', 'That recovery copy is no longer there (it was recovered or discarded already).');
      const opened = await openProject(session.recoveryPath, { settingsFolder });
      identity = { path: session.projectPath, projectId: opened.project.projectId, createdAt: opened.project.createdAt };
      const output = await load(opened, context.signal, true);
      // Our own session holds the recovered work before the crashed one's copy goes, so a second crash loses nothing.
      const own = await ensureAutosave();
      if (own) {
        await own.markClean({ projectId: identity.projectId, projectPath: identity.path });
        own.markChanged();
        await own.flush();
        await discardRecoverableSession(settingsFolder, session);
      }
      return output;
    },

    async discardRecoverableSession(input) {
      const session = (await findRecoverableSessions(settingsFolder)).find((candidate) => candidate.sessionId === input.sessionId);
      if (session) await discardRecoverableSession(settingsFolder, session);
      return { ok: true as const };
    },

    async markDocumentChanged(input) {
      latest = toProjectDocument(input.document);
      (await ensureAutosave())?.markChanged();
      return { ok: true as const };
    },

    getStartupPaths() {
      const paths = startupPaths ?? [];
      startupPaths = null;
      options.onRendererReady?.();
      return { paths };
    },
  };

  return {
    handlers,
    async close() {
      isClosed = true;
      const session = await autosave;
      await session?.close();
    },
  };
}
