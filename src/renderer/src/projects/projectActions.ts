/**
 * The studio's project commands: Save, Save As, Open Project, the recent list, crash recovery at startup, and the
 * startup paths. It also follows the document: any edit marks the project unsaved and, at most once a second, sends
 * the document to the engine (`markDocumentChanged`), whose autosave writes the recovery copy, and keeps the
 * renderer's own copy for a page reload (`reloadRecovery.ts`), offered at the next start of the page.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StudioContract } from '../../../shared/contract/studioContract';
import type { MethodOutput } from '../../../shared/rpc/defineContract';
import type { StudioApi } from '../connection/connectStudio';
import type { StudioBridge } from '../connection/studioBridge';
import type { DocumentStore } from '../document/documentStore';
import type { DocumentHistory } from '../document/history';
import { baseName, describeError, folderName } from '../jobs/errorSentences';
import { isStudioError, StudioError } from '../../../shared/errors';
import { pushNotice, type JobStore } from '../jobs/jobStore';
import type { LibraryActions } from '../library/libraryActions';
import type { MaskSync } from '../tools/maskSync';
import type { UiStore } from '../ui/uiStore';
import { serializeMaskEdits } from '../document/maskEditStorage';
import { backgroundForSave, showProjectBackground } from './projectBackground';
import { documentForSave, isDocumentChange, loadOpenedProject, type OpenedProject } from './projectDocument';
import {
  clearReloadRecord, openReloadRecord, readReloadRecord, summarizeReloadRecord, writeReloadRecord, type ReloadRecord, type ReloadRecoverySummary, type RecoveryStorage,
} from './reloadRecovery';

/** A project in the recent list. */
export type RecentProject = MethodOutput<StudioContract, 'listRecentProjects'>['projects'][number];
/** A crashed session the studio offers to recover. */
export type RecoverableSession = MethodOutput<StudioContract, 'listRecoverableSessions'>['sessions'][number];

/** What the title, the tool bar and the project dialogs show. */
export interface ProjectState {
  /** Where the project is saved; null while untitled. */
  readonly path: string | null;
  readonly name: string;
  readonly isDirty: boolean;
  /** The in-app dialog that is open (web shell save path, open project with the recent list). */
  readonly dialog: 'saveAs' | 'open' | null;
  readonly recent: readonly RecentProject[];
  /** Crashed sessions not yet recovered or discarded; the recovery prompt shows while there are any. */
  readonly recoverable: readonly RecoverableSession[];
  /** Unsaved work this page left behind when it was reloaded or closed (this engine session); null when none. */
  readonly reloadRecovery: ReloadRecoverySummary | null;
  readonly isBusy: boolean;
}

/** The project store. */
export type ProjectStore = StoreApi<ProjectState>;

/** The project commands. */
export interface ProjectActions {
  readonly state: ProjectStore;
  /** Save: over the project's file, or Save As while untitled. */
  save(): Promise<void>;
  /** Save As: the native dialog in Electron, the path dialog in the web shell. */
  saveAs(): void;
  /** Where Save As proposes to save: the project's own path, else `Untitled.mattestudio` beside the first item. */
  suggestedPath(): string;
  /** Writes the project to `path` (the path dialog's submit); rejects with the reason. */
  /** Saves to `path`; `replace`: the user already agreed to replace a file there (the system dialog asked). */
  saveTo(path: string, replace?: boolean): Promise<void>;
  /** Open Project: the dialog with the recent list. */
  showOpen(): void;
  /** Electron's native open dialog for a project (from the Open Project dialog). */
  browseNative(): void;
  /** Opens one project; resolves false when the artist kept unsaved changes instead, rejects with the reason. */
  open(path: string): Promise<boolean>;
  closeDialog(): void;
  /** Opens what the OS or the command line asked for: projects as projects, the rest in the library. */
  openPaths(paths: readonly string[]): Promise<void>;
  recover(sessionId: string): Promise<void>;
  discard(sessionId: string): Promise<void>;
  /** Hides the recovery prompt for now (the copies stay for the next start). */
  dismissRecovery(): void;
  /** Loads the work left behind by a reload (see {@link ProjectState.reloadRecovery}). */
  recoverReload(): Promise<void>;
  /** Deletes the work left behind by a reload. */
  discardReload(): void;
  /** True while closing the page would lose work (the document has unsaved changes). */
  hasUnsavedWork(): boolean;
  /** Writes the reload copy now when there is unsaved work (the page is about to unload). */
  flushReloadCopy(): void;
  /** Startup: asks for crashed sessions, then opens the startup paths. */
  start(): Promise<void>;
  dispose(): void;
}

/** What the actions work with. */
export interface ProjectActionsOptions {
  api: StudioApi;
  store: DocumentStore;
  history: DocumentHistory;
  ui: UiStore;
  jobs: JobStore;
  maskSync: MaskSync;
  library: LibraryActions;
  bridge: StudioBridge | undefined;
  /** Turns a media path into a URL (fetching an opened project's background picture); absent: pictures are not shown. */
  toMediaUrl?: (path: string) => string;
  /** Shortest time between two `markDocumentChanged` calls. @default 1000 */
  changeIntervalMs?: number;
  /** Asks before unsaved changes, or another project's file (Save As), are replaced. @default window.confirm */
  confirmDiscard?: (message: string) => boolean;
  /** Where the reload copy is kept, and the engine session it belongs to; absent: no reload copy. */
  reloadCopy?: { storage: RecoveryStorage; sessionKey: string };
}

const projectPattern = /\.mattestudio$/i;

/** Creates the project actions; they follow the document store until disposed. */
export function createProjectActions(options: ProjectActionsOptions): ProjectActions {
  const { api, store, history, ui, jobs, maskSync, library, bridge } = options;
  const state = createStore<ProjectState>()(() => ({ path: null, name: 'Untitled', isDirty: false, dialog: null, recent: [], recoverable: [], reloadRecovery: null, isBusy: false }));
  const confirmDiscard = options.confirmDiscard ?? ((message: string) => window.confirm(message));
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  let changeCount = 0;
  let isLoading = false;
  let hasReportedAutosaveFailure = false;
  let hasReportedReloadCopyFailure = false;
  let pendingReloadRecord: ReloadRecord | null = null;
  const reloadCopy = options.reloadCopy;

  const hasUnsavedWork = () => state.getState().isDirty && store.getState().items.length > 0;

  /** Keeps (or, once saved, drops) the renderer's copy for a reload. */
  function syncReloadCopy(): void {
    if (!reloadCopy) return;
    if (!hasUnsavedWork()) {
      // A copy not yet offered (the prompt is showing) stays until the artist decides.
      if (pendingReloadRecord === null) clearReloadRecord(reloadCopy.storage);
      return;
    }
    const document = store.getState();
    const { path, name } = state.getState();
    const kept = writeReloadRecord(reloadCopy.storage, { sessionKey: reloadCopy.sessionKey, projectPath: path, projectName: name, document: documentForSave(document, backgroundForSave(ui.getState().backgroundImage)), maskEdits: serializeMaskEdits(document.maskEdits) });
    if (kept !== 'full' && !hasReportedReloadCopyFailure) {
      hasReportedReloadCopyFailure = true;
      pushNotice(jobs, 'warning', kept === 'none' ? 'The browser has no room to keep your work across a reload: save the project before reloading.' : 'The hand edits are too large to keep across a reload: save the project before reloading.');
    }
  }

  const flushMaskEdits = () => Promise.all(store.getState().items.map((item) => maskSync.flush(item.id)));

  async function sendChange(): Promise<void> {
    changeTimer = undefined;
    syncReloadCopy();
    try {
      await flushMaskEdits();
      await api.markDocumentChanged({ document: documentForSave(store.getState(), backgroundForSave(ui.getState().backgroundImage)) });
    } catch (error) {
      if (!hasReportedAutosaveFailure) pushNotice(jobs, 'warning', `Autosave is not working: ${describeError(error)}`);
      hasReportedAutosaveFailure = true;
    }
  }

  function noteChange(): void {
    changeCount++;
    if (!state.getState().isDirty) state.setState({ isDirty: true });
    changeTimer ??= setTimeout(() => void sendChange(), options.changeIntervalMs ?? 1000);
  }
  /** The picture an opened project brings (its kept path, null for none): showing it is loading, not an edit. */
  let loadingBackground: string | null | undefined;

  const unsubscribeDocument = store.subscribe((next, previous) => {
    if (isLoading || !isDocumentChange(next, previous)) return;
    noteChange();
  });
  // Choosing another background picture is the artist's work too: it makes the project unsaved.
  const unsubscribeUi = ui.subscribe((next, previous) => {
    if (next.backgroundImage === previous.backgroundImage || isLoading) return;
    if ((next.backgroundImage?.enginePath ?? null) === loadingBackground) return;
    noteChange();
  });
  const unsubscribe = () => {
    unsubscribeDocument();
    unsubscribeUi();
  };

  const mayReplaceDocument = () => !state.getState().isDirty || store.getState().items.length === 0 || confirmDiscard('The current project has unsaved changes. Discard them?');

  function load(opened: OpenedProject): void {
    isLoading = true;
    let warnings: string[];
    try {
      warnings = [...opened.warnings, ...loadOpenedProject(store, history, ui, opened)];
    } finally {
      isLoading = false;
    }
    clearTimeout(changeTimer);
    changeTimer = undefined;
    state.setState({ path: opened.project.path, name: opened.project.name, isDirty: opened.isUnsaved, dialog: null });
    syncReloadCopy();
    for (const failure of opened.failures.slice(0, 5)) pushNotice(jobs, 'error', `Could not open “${baseName(failure.path)}”: ${failure.message}`);
    for (const warning of warnings.slice(0, 5)) pushNotice(jobs, 'warning', warning);
    if (warnings.length > 5) pushNotice(jobs, 'warning', `${warnings.length - 5} more problems were found while opening the project.`);
    if (options.toMediaUrl) void showBackground(opened, options.toMediaUrl);
  }

  /** The opened project's background picture (or none), fetched after the rest is on screen. */
  async function showBackground(opened: OpenedProject, toMediaUrl: (path: string) => string): Promise<void> {
    loadingBackground = opened.backgroundPicture?.path ?? null;
    try {
      const warning = await showProjectBackground(ui, toMediaUrl, opened.backgroundPicture);
      if (warning) pushNotice(jobs, 'warning', warning);
      // Recovered work is unsaved already: the engine's autosave copy should hold the picture as well.
      else if (opened.isUnsaved && opened.backgroundPicture) noteChange();
    } finally {
      loadingBackground = undefined;
    }
  }

  async function busy<T>(task: () => Promise<T>): Promise<T> {
    state.setState({ isBusy: true });
    try {
      return await task();
    } finally {
      state.setState({ isBusy: false });
    }
  }

  async function refreshRecent(): Promise<void> {
    const { projects } = await api.listRecentProjects({});
    state.setState({ recent: projects });
  }

  const report = (action: string) => (error: unknown) => pushNotice(jobs, 'error', `Could not ${action}: ${describeError(error)}`);

  const actions: ProjectActions = {
    state,

    async save() {
      const { path } = state.getState();
      if (path === null) return actions.saveAs();
      await actions.saveTo(path).catch(report(`save “${state.getState().name}”`));
    },

    saveAs() {
      if (!bridge?.saveDialog) {
        state.setState({ dialog: 'saveAs' });
        return;
      }
      bridge
        .saveDialog(actions.suggestedPath())
        // The system's save dialog has already asked before replacing a file.
        .then((chosen) => (chosen ? actions.saveTo(chosen, true) : undefined))
        .catch(report('save the project'));
    },

    suggestedPath() {
      const first = store.getState().items[0]?.path;
      return state.getState().path ?? (first === undefined ? 'Untitled.mattestudio' : `${folderName(first)}/Untitled.mattestudio`);
    },

    saveTo(path, replace = false) {
      return busy(async () => {
        clearTimeout(changeTimer);
        changeTimer = undefined;
        // The engine saves the hand edits it holds: pending strokes go out first.
        await flushMaskEdits();
        const countAtSave = changeCount;
        const save = (mayReplace: boolean) => api.saveProject({ path, document: documentForSave(store.getState(), backgroundForSave(ui.getState().backgroundImage)), replace: mayReplace });
        const saved = await save(replace).catch((error: unknown) => {
          // Save As onto another file: replace it only when the artist says so (keeping the dialog open otherwise).
          if (!isStudioError(error, 'OUTPUT_EXISTS')) throw error;
          if (!confirmDiscard(`${baseName(path)} already exists. Replace it? The project saved there will be lost.`)) {
            throw new StudioError('OUTPUT_EXISTS', `Not saved: ${baseName(path)} already exists. Choose another name.`);
          }
          return save(true);
        });
        state.setState({ path: saved.project.path, name: saved.project.name, isDirty: changeCount !== countAtSave, dialog: null });
        syncReloadCopy();
        pushNotice(jobs, 'info', `Saved “${saved.project.name}”.`);
      });
    },

    showOpen() {
      state.setState({ dialog: 'open' });
      refreshRecent().catch(() => state.setState({ recent: [] }));
    },

    browseNative() {
      bridge
        ?.openProjectDialog?.()
        .then((path) => (path ? actions.open(path) : undefined))
        .catch(report('open the project'));
    },

    async open(path) {
      if (!mayReplaceDocument()) return false;
      const opened = await busy(() => api.openProject({ path }));
      load(opened);
      return true;
    },

    closeDialog: () => state.setState({ dialog: null }),

    async openPaths(paths) {
      const projects = paths.filter((path) => projectPattern.test(path));
      const media = paths.filter((path) => !projectPattern.test(path));
      if (projects.length > 1) pushNotice(jobs, 'warning', `Only one project opens at a time: “${baseName(projects[0]!)}” was opened.`);
      if (projects[0] !== undefined) await actions.open(projects[0]).catch(report(`open “${baseName(projects[0])}”`));
      if (media.length > 0) await library.openPaths(media);
    },

    async recover(sessionId) {
      if (!mayReplaceDocument()) return;
      try {
        load(await busy(() => api.recoverSession({ sessionId })));
      } catch (error) {
        report('recover the unsaved work')(error);
      }
      state.setState({ recoverable: state.getState().recoverable.filter((session) => session.sessionId !== sessionId) });
    },

    async discard(sessionId) {
      await api.discardRecoverableSession({ sessionId }).catch(report('discard the recovery copy'));
      state.setState({ recoverable: state.getState().recoverable.filter((session) => session.sessionId !== sessionId) });
    },

    dismissRecovery: () => state.setState({ recoverable: [], reloadRecovery: null }),

    async recoverReload() {
      const record = pendingReloadRecord;
      if (!record || !mayReplaceDocument()) return;
      try {
        load(await busy(() => openReloadRecord(api, record)));
        pendingReloadRecord = null;
        state.setState({ reloadRecovery: null });
        syncReloadCopy();
        // The engine's autosave holds the recovered work too.
        changeTimer ??= setTimeout(() => void sendChange(), 0);
      } catch (error) {
        report('recover the unsaved work')(error);
      }
    },

    discardReload() {
      pendingReloadRecord = null;
      state.setState({ reloadRecovery: null });
      if (reloadCopy && !hasUnsavedWork()) clearReloadRecord(reloadCopy.storage);
    },

    hasUnsavedWork,

    flushReloadCopy() {
      if (!hasUnsavedWork()) return;
      clearTimeout(changeTimer);
      changeTimer = undefined;
      syncReloadCopy();
    },

    async start() {
      if (reloadCopy) {
        pendingReloadRecord = readReloadRecord(reloadCopy.storage, reloadCopy.sessionKey);
        if (pendingReloadRecord) state.setState({ reloadRecovery: summarizeReloadRecord(pendingReloadRecord) });
      }
      try {
        state.setState({ recoverable: (await api.listRecoverableSessions({})).sessions });
      } catch (error) {
        report('look for unsaved work from last time')(error);
      }
      try {
        const { paths } = await api.getStartupPaths({});
        if (paths.length > 0) await actions.openPaths(paths);
      } catch (error) {
        report('open the files Matte Studio was started with')(error);
      }
    },

    dispose() {
      unsubscribe();
      clearTimeout(changeTimer);
    },
  };
  return actions;
}
