import { SessionCache, type SessionCacheOptions } from './inference/sessionCache';
import { ModelStore, type ModelStoreOptions } from './models/modelStore';
import { KernelWorkers, type KernelWorkersOptions } from './kernels/kernelWorkers';
import { startProcessLauncher, type ProcessLauncherOptions } from './threads/processLauncher';

/** The engine's long-lived services: where models are, their open inference sessions, and the kernel workers. */
export interface Engine {
  models: ModelStore;
  sessions: SessionCache;
  /**
   * The kernel workers every path runs its heavy JS kernels in (refinement, cartoon detection, stabilisation,
   * composing): previews, still and clip exports, batches. The host thread keeps ONNX sessions and ffmpeg.
   */
  kernels: KernelWorkers;
  /** Closes every inference session and stops the kernel workers. */
  dispose(): Promise<void>;
}

/** Options for {@link createEngine}. */
export interface EngineOptions extends ModelStoreOptions {
  /** The inference sessions (the Electron build passes its bundled worker as `inferenceWorker`). */
  session?: SessionCacheOptions;
  /** The kernel workers (the Electron build passes its bundled entry as `workerEntry`). */
  kernels?: KernelWorkersOptions;
  /** The launcher that starts ffmpeg (the Electron build passes its bundled entry as `entry`). */
  launcher?: ProcessLauncherOptions;
}

/** Creates the engine used by the CLI, the web shell and the Electron main process alike. */
export function createEngine(options: EngineOptions = {}): Engine {
  // First, while the process is still small: its one fork is the cheapest it will ever be (see processLauncher).
  startProcessLauncher(options.launcher);
  const sessions = new SessionCache(options.session);
  const models = new ModelStore({ readShapes: (path) => sessions.inspect(path), ...options });
  const kernels = new KernelWorkers(options.kernels);
  return { models, sessions, kernels, dispose: async () => void (await Promise.all([sessions.dispose(), kernels.dispose()])) };
}
