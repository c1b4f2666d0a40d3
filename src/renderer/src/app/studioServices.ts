/**
 * Everything the studio's components share, created once per connection: the document and its history, session
 * state, jobs, and the services that keep the engine and the canvas in step with the document.
 */
import { createCompositor, type Compositor } from '../canvas/compositor';
import { createPreviewController, type PreviewController } from '../canvas/previewController';
import type { StudioConnection } from '../connection/connectStudio';
import { createDocumentStore, type DocumentStore } from '../document/documentStore';
import { createDocumentHistory, type DocumentHistory } from '../document/history';
import { createJobStore, updateJobProgress, type JobStore } from '../jobs/jobStore';
import { createMattingService, type MattingService } from '../jobs/mattingService';
import { createLibraryActions, type LibraryActions } from '../library/libraryActions';
import { createProjectActions, type ProjectActions } from '../projects/projectActions';
import { guardUnload, reloadCopyFor } from '../projects/unloadGuard';
import { createMaskSync, type MaskSync } from '../tools/maskSync';
import { createStrokeInput, type StrokeInput } from '../tools/strokeInput';
import { createUiStore, type UiStore } from '../ui/uiStore';

/** What the canvas offers to commands and toolbars (registered while it is mounted). */
export interface CanvasViewport {
  fit(): void;
  actualSize(): void;
  zoomStep(direction: 1 | -1): void;
}

/** The shared services. */
export interface StudioServices {
  readonly connection: StudioConnection;
  readonly store: DocumentStore;
  readonly history: DocumentHistory;
  readonly ui: UiStore;
  readonly jobs: JobStore;
  readonly matting: MattingService;
  readonly compositor: Compositor;
  readonly previews: PreviewController;
  readonly maskSync: MaskSync;
  readonly strokes: StrokeInput;
  readonly library: LibraryActions;
  /** Save, open, autosave and recovery of projects. */
  readonly projects: ProjectActions;
  /** Set by the canvas while it is mounted. */
  viewport: CanvasViewport | null;
  dispose(): void;
}

/** Creates the services over an open connection. */
export function createStudioServices(connection: StudioConnection): StudioServices {
  const { api, toMediaUrl, bridge } = connection;
  const store = createDocumentStore();
  const history = createDocumentHistory(store);
  const ui = createUiStore();
  const jobs = createJobStore();
  const progress = api.on('onJobProgress', (report) => updateJobProgress(jobs, report));
  const matting = createMattingService(api, store, ui, jobs);
  const compositor = createCompositor(store, history, ui);
  const maskSync = createMaskSync(api, store, jobs);
  // The engine re-solves alpha under Refine Edge marks, so a preview first sends the frame's pending edits.
  const previews = createPreviewController(api, toMediaUrl, store, ui, jobs, matting, compositor, { beforeRender: (itemId) => maskSync.flush(itemId) });
  const strokes = createStrokeInput(store, history, () => ui.getState().tool);
  const library = createLibraryActions(api, store, ui, jobs, bridge);
  const reloadCopy = typeof window === 'undefined' ? undefined : reloadCopyFor(connection.shell, window);
  const projects = createProjectActions({ api, store, history, ui, jobs, maskSync, library, bridge, toMediaUrl, ...(reloadCopy ? { reloadCopy } : {}) });
  const removeUnloadGuard = typeof window === 'undefined' ? () => {} : guardUnload(projects, connection.shell, window);
  // Projects open as projects, everything else in the library; the startup check runs once everything listens.
  const openRequests = api.on('onOpenRequest', ({ paths }) => void projects.openPaths(paths));
  void projects.start();
  const unsubscribeMenu = bridge?.setMenuState
    ? store.subscribe((state, previous) => {
        if (state.history !== previous.history) bridge.setMenuState?.({ undoLabel: state.history.undoLabel, redoLabel: state.history.redoLabel });
      })
    : () => {};

  return {
    connection,
    store,
    history,
    ui,
    jobs,
    matting,
    compositor,
    previews,
    maskSync,
    strokes,
    library,
    projects,
    viewport: null,
    dispose() {
      removeUnloadGuard();
      unsubscribeMenu();
      projects.dispose();
      openRequests.dispose();
      progress.dispose();
      previews.dispose();
      maskSync.dispose();
      matting.dispose();
      compositor.dispose();
      history.dispose();
    },
  };
}
