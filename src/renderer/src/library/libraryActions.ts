/** Opening files and folders: the engine expands folders, the document gains the new items. */
import type { StudioApi } from '../connection/connectStudio';
import type { StudioBridge } from '../connection/studioBridge';
import { addItems, setActiveItem, setSelection, type DocumentStore } from '../document/documentStore';
import { baseName, describeError } from '../jobs/errorSentences';
import { pushNotice, type JobStore } from '../jobs/jobStore';
import { updateUi, type UiStore } from '../ui/uiStore';
import { partitionNewItems, toDocumentItem } from './itemInfo';

/** Most paths per `openPaths` request (the contract's limit). */
const pathsPerRequest = 10_000;

/** Library actions. */
export interface LibraryActions {
  /** Opens paths (files or folders); resolves with how many items were added. */
  openPaths(paths: readonly string[]): Promise<number>;
  /** The Open command: the native dialog in Electron, the in-app browser otherwise. */
  showOpenDialog(): void;
  /** The in-app browser (both shells; Electron's fallback and the e2e path). */
  showBrowser(): void;
}

/** Creates the library actions. */
export function createLibraryActions(api: StudioApi, store: DocumentStore, ui: UiStore, jobs: JobStore, bridge: StudioBridge | undefined): LibraryActions {
  async function openBatch(paths: string[]): Promise<number> {
    const result = await api.openPaths({ paths });
    const known = new Set(store.getState().items.map((item) => item.id));
    const { added, existing } = partitionNewItems(result.items, known);
    if (added.length > 0) {
      const thumbnails = { ...ui.getState().thumbnails };
      for (const info of added) thumbnails[info.id] = info.thumbnailUrl;
      updateUi(ui, { thumbnails });
      addItems(store, added.map(toDocumentItem));
    }
    const first = added[0]?.id ?? existing[0];
    if (first !== undefined) {
      setActiveItem(store, first);
      setSelection(store, [first]);
    }
    for (const failure of result.failures.slice(0, 5)) pushNotice(jobs, 'error', `Could not open “${baseName(failure.path)}”: ${failure.message}`);
    if (result.failures.length > 5) pushNotice(jobs, 'error', `${result.failures.length - 5} more files could not be opened.`);
    if (result.items.length === 0 && result.failures.length === 0) pushNotice(jobs, 'warning', `No pictures or clips were found in “${baseName(paths[0] ?? '')}”.`);
    return added.length;
  }

  const actions: LibraryActions = {
    async openPaths(paths) {
      const clean = [...new Set(paths.map((path) => path.trim()).filter((path) => path.length > 0))];
      let added = 0;
      try {
        for (let start = 0; start < clean.length; start += pathsPerRequest) added += await openBatch(clean.slice(start, start + pathsPerRequest));
      } catch (error) {
        const what = clean.length === 1 ? `“${baseName(clean[0]!)}”` : `${clean.length} paths`;
        pushNotice(jobs, 'error', `Could not open ${what}: ${describeError(error)}`);
      }
      return added;
    },

    showOpenDialog() {
      if (!bridge?.openDialog) {
        actions.showBrowser();
        return;
      }
      Promise.resolve(bridge.openDialog())
        .then((paths) => {
          if (Array.isArray(paths) && paths.length > 0) void actions.openPaths(paths);
        })
        .catch((error: unknown) => pushNotice(jobs, 'error', `The open dialog failed: ${describeError(error)}`));
    },

    showBrowser() {
      updateUi(ui, { isOpenDialogVisible: true });
    },
  };
  return actions;
}
