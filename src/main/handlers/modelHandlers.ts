/**
 * The engine side of the model requests (`shared/contract/modelMethods.ts`): lists the models the Models panel shows,
 * installs one as a job whose download progress goes to the caller as `onJobProgress`, cancels it by job id (the
 * `.part` file stays, and the next install resumes from it), and removes models the user installed. After every
 * install and removal the studio is told, so its next matte picks the best installed model afresh.
 */
import { rm } from 'node:fs/promises';
import type { modelMethods } from '../../shared/contract/modelMethods';
import type { StudioContract } from '../../shared/contract/studioContract';
import { StudioError } from '../../shared/errors';
import type { ContractHandlers } from '../../shared/rpc/defineContract';
import type { Engine } from '../engine';
import { downloadModel, partialPathOf } from '../models/downloadModel';
import { listModelEntries } from './modelEntries';

/** The handlers of the model methods. */
export type ModelHandlers = Pick<ContractHandlers<StudioContract>, keyof typeof modelMethods>;

/** Options of {@link createModelHandlers}. */
export interface ModelHandlersOptions {
  /** Hears every install and removal once the model folder changed (the studio forgets its resolved model keys). */
  onModelsChanged?: () => void;
}

/** The model handlers and their clean-up. */
export interface ModelService {
  readonly handlers: ModelHandlers;
  /** Stops every running install (their `.part` files stay for a resume). */
  dispose(): void;
}

interface RunningInstall {
  readonly jobId: string;
  readonly controller: AbortController;
}

function unknownModel(id: string): StudioError {
  return new StudioError('MODEL_MISSING', `No model called “${id}” is known.`, `unknown model id ${id}`);
}

const clampFraction = (value: number) => Math.min(1, Math.max(0, value));

/** Builds the model handlers over the engine's model store. */
export function createModelHandlers(engine: Pick<Engine, 'models'>, options: ModelHandlersOptions = {}): ModelService {
  const store = engine.models;
  const lifetime = new AbortController();
  /** Installs running now, by model id (one download per model file). */
  const running = new Map<string, RunningInstall>();
  const installJobs = () => new Map([...running].map(([modelId, install]) => [modelId, install.jobId]));
  const entryOf = async (modelId: string) => (await listModelEntries(store, installJobs())).find((entry) => entry.spec.id === modelId);

  const handlers: ModelHandlers = {
    async listModels() {
      return { models: await listModelEntries(store, installJobs()), userFolder: store.userDir };
    },

    async installModel({ jobId, modelId }, context) {
      const spec = store.findKnownModel(modelId);
      if (!spec) throw unknownModel(modelId);
      if ([...running.values()].some((install) => install.jobId === jobId)) throw new StudioError('INVALID_INPUT', 'An install with this job id is already running.');
      if (running.has(spec.id)) throw new StudioError('INVALID_INPUT', `${spec.name} is already being downloaded.`);
      const current = await entryOf(spec.id);
      if (current?.state === 'installed') return { model: current };
      if (!spec.download) {
        throw new StudioError('INVALID_INPUT', `${spec.name} ships with Matte Studio and is not downloaded separately; reinstall Matte Studio (or run “npm run provision-models”) to restore it.`, `model ${spec.id} has no download`);
      }
      const controller = new AbortController();
      running.set(spec.id, { jobId, controller });
      try {
        await downloadModel(store, spec, {
          signal: AbortSignal.any([context.signal, controller.signal, lifetime.signal]),
          onProgress: (progress) => context.emit('onJobProgress', { ...progress, jobId, fraction: clampFraction(progress.fraction) }),
        });
      } finally {
        running.delete(spec.id);
      }
      options.onModelsChanged?.();
      const installed = await entryOf(spec.id);
      if (!installed) throw new StudioError('INTERNAL', `${spec.name} was downloaded but is not listed as installed.`, `no entry for ${spec.id} after install`);
      return { model: installed };
    },

    cancelModelInstall({ jobId }) {
      const install = [...running.values()].find((candidate) => candidate.jobId === jobId);
      install?.controller.abort();
      return { cancelled: install !== undefined };
    },

    async removeModel({ modelId }) {
      const entry = await entryOf(modelId);
      if (!entry) throw unknownModel(modelId);
      const { name } = entry.spec;
      if (running.has(modelId)) throw new StudioError('INVALID_INPUT', `${name} is being downloaded. Cancel the download first.`);
      if (entry.source === 'bundled') throw new StudioError('INVALID_INPUT', `${name} ships with Matte Studio and cannot be removed.`, `model ${modelId} is bundled`);
      if (entry.state !== 'installed' && entry.partialBytes === 0) throw new StudioError('MODEL_MISSING', `${name} is not installed.`, `nothing to remove for ${modelId}`);
      // The model's inference session, if one is open, stays open until the engine closes: releasing a native session
      // that a matte may be running on right now is not safe, and the deleted file does not disturb an open session.
      let freedBytes = entry.state === 'installed' ? await store.removeUserModel(modelId) : 0;
      if (entry.partialBytes > 0) {
        await rm(partialPathOf(store.userModelPath(modelId)), { force: true });
        freedBytes += entry.partialBytes;
      }
      options.onModelsChanged?.();
      return { freedBytes };
    },
  };

  return {
    handlers,
    dispose() {
      lifetime.abort();
    },
  };
}
