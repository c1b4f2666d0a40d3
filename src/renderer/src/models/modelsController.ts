/**
 * Installs and removes models for the Models panel and keeps the model picker's list current. Lives as long as the
 * connection, outside React: the panel may close while a download runs and reopen on its progress, and the picker
 * reads the same list. Every install and removal ends with a fresh listing from the engine, so no list goes stale.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ModelEntry } from '../../../shared/contract/modelMethods';
import type { ModelSpec } from '../../../shared/modelTypes';
import type { StudioApi } from '../connection/connectStudio';
import { describeError, isCancellation } from '../jobs/errorSentences';
import { createJobId } from '../jobs/jobStore';
import { formatBytes, type InstallProgress } from './modelText';

/** One choice of the model picker. */
export interface PickerModel {
  readonly spec: ModelSpec;
  readonly installed: boolean;
}

/** What the panel and the picker show. */
export interface ModelsState {
  readonly isDialogOpen: boolean;
  /** The engine's last listing; null until it first answered. */
  readonly entries: readonly ModelEntry[] | null;
  /** The user model folder (downloads go there; a dropped-in `.onnx` is recognised). */
  readonly userFolder: string | null;
  /** The picker's choices: the last listing, or the studio's start-up list before the first one. */
  readonly pickerModels: readonly PickerModel[];
  /** Why the listing failed, in words. */
  readonly listError: string | null;
  /** Installs running in this window, by model id. */
  readonly installs: Readonly<Record<string, InstallProgress>>;
  /** The last install or removal failure per model id, in words. */
  readonly failures: Readonly<Record<string, string>>;
  /** The model whose removal waits for the user's confirmation. */
  readonly confirmingRemoval: string | null;
  /** Models being removed now. */
  readonly removing: readonly string[];
}

/** The requests the controller makes. */
export type ModelsApi = Pick<StudioApi, 'listModels' | 'installModel' | 'cancelModelInstall' | 'removeModel' | 'on'>;

/** Options of {@link createModelsController}. */
export interface ModelsControllerOptions {
  /** The picker's list until the first listing (the connection's app info). */
  initialModels: readonly PickerModel[];
  /** Tells the user how an install or removal ended (the panel may be closed by then); errors name the model. */
  notify?: (tone: 'info' | 'error', text: string) => void;
  /** A model was removed: a picker choice naming it must fall back to the best installed one. */
  onRemoved?: (modelId: string) => void;
}

/** The controller. */
export interface ModelsController {
  readonly store: StoreApi<ModelsState>;
  /** Opens the panel and asks the engine for a fresh listing. */
  open(): void;
  close(): void;
  /** Asks the engine for the listing; resolves when it arrived (never rejects). */
  refresh(): Promise<void>;
  /** Installs (or resumes) a model; resolves when the install ended, however it ended. Ignored while one runs. */
  install(modelId: string): Promise<void>;
  /** Stops this window's install of a model; its partial download stays for a resume. */
  cancel(modelId: string): void;
  /** Shows (id) or hides (null) the confirmation of a removal. */
  confirmRemoval(modelId: string | null): void;
  /** Removes a model the user installed, or discards its partial download; resolves when done (never rejects). */
  remove(modelId: string): Promise<void>;
}

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));

/** The picker's choices from a listing. */
export function pickerModelsOf(entries: readonly ModelEntry[]): PickerModel[] {
  return entries.map((entry) => ({ spec: entry.spec, installed: entry.state === 'installed' }));
}

/** Creates the controller over the studio's API. */
export function createModelsController(api: ModelsApi, options: ModelsControllerOptions): ModelsController {
  const store = createStore<ModelsState>()(() => ({
    isDialogOpen: false,
    entries: null,
    userFolder: null,
    pickerModels: options.initialModels,
    listError: null,
    installs: {},
    failures: {},
    confirmingRemoval: null,
    removing: [],
  }));
  const notify = options.notify ?? (() => {});
  /** Only the newest listing request may write its answer (an older one can arrive later). */
  let listingRequest = 0;
  const nameOf = (modelId: string) => store.getState().entries?.find((entry) => entry.spec.id === modelId)?.spec.name ?? modelId;

  const refresh = async () => {
    const request = ++listingRequest;
    try {
      const { models, userFolder } = await api.listModels({});
      if (request === listingRequest) store.setState({ entries: models, userFolder, pickerModels: pickerModelsOf(models), listError: null });
    } catch (error) {
      if (request === listingRequest) store.setState({ listError: `Could not list the models: ${describeError(error)}` });
    }
  };

  const install = async (modelId: string) => {
    const state = store.getState();
    if (state.installs[modelId]) return;
    const entry = state.entries?.find((candidate) => candidate.spec.id === modelId);
    const jobId = createJobId();
    const startFraction = entry && entry.sizeBytes > 0 ? Math.min(entry.partialBytes / entry.sizeBytes, 1) : 0;
    store.setState({ installs: { ...state.installs, [modelId]: { jobId, fraction: startFraction, isCancelling: false } }, failures: without(state.failures, modelId) });
    const progress = api.on('onJobProgress', (report) => {
      const current = store.getState().installs[modelId];
      if (report.jobId !== jobId || !current) return;
      store.setState({ installs: { ...store.getState().installs, [modelId]: { ...current, fraction: report.fraction } } });
    });
    try {
      const { model } = await api.installModel({ jobId, modelId });
      notify('info', `Installed ${model.spec.name} (${formatBytes(model.sizeBytes)}).`);
    } catch (error) {
      if (!isCancellation(error)) {
        const message = describeError(error);
        store.setState({ failures: { ...store.getState().failures, [modelId]: message } });
        // The engine's sentences name the model already ("Could not download BiRefNet general: …").
        notify('error', message);
      }
    } finally {
      progress.dispose();
      store.setState({ installs: without(store.getState().installs, modelId) });
      await refresh();
    }
  };

  const cancel = (modelId: string) => {
    const current = store.getState().installs[modelId];
    if (!current || current.isCancelling) return;
    store.setState({ installs: { ...store.getState().installs, [modelId]: { ...current, isCancelling: true } } });
    // The install call then rejects with CANCELLED once the download has stopped, and its `finally` refreshes.
    api.cancelModelInstall({ jobId: current.jobId }).catch(() => {});
  };

  const remove = async (modelId: string) => {
    const state = store.getState();
    if (state.removing.includes(modelId)) return;
    store.setState({ removing: [...state.removing, modelId], confirmingRemoval: null, failures: without(state.failures, modelId) });
    const name = nameOf(modelId);
    try {
      const { freedBytes } = await api.removeModel({ modelId });
      options.onRemoved?.(modelId);
      notify('info', `Removed ${name} (${formatBytes(freedBytes)} freed).`);
    } catch (error) {
      const message = describeError(error);
      store.setState({ failures: { ...store.getState().failures, [modelId]: message } });
      notify('error', message);
    } finally {
      store.setState({ removing: store.getState().removing.filter((id) => id !== modelId) });
      await refresh();
    }
  };

  return {
    store,
    open() {
      store.setState({ isDialogOpen: true });
      void refresh();
    },
    close() {
      store.setState({ isDialogOpen: false, confirmingRemoval: null });
    },
    refresh,
    install,
    cancel,
    confirmRemoval(modelId) {
      store.setState({ confirmingRemoval: modelId });
    },
    remove,
  };
}
