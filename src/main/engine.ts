import { SessionCache } from './inference/sessionCache';
import type { MattingSessionOptions } from './inference/mattingSession';
import { ModelStore, type ModelStoreOptions } from './models/modelStore';

/** The engine's long-lived services: where models are, and their open inference sessions. */
export interface Engine {
  models: ModelStore;
  sessions: SessionCache;
  /** Closes every inference session. */
  dispose(): Promise<void>;
}

/** Options for {@link createEngine}. */
export interface EngineOptions extends ModelStoreOptions {
  session?: MattingSessionOptions;
}

/** Creates the engine used by the CLI, the web shell and the Electron main process alike. */
export function createEngine(options: EngineOptions = {}): Engine {
  const models = new ModelStore(options);
  const sessions = new SessionCache(options.session);
  return { models, sessions, dispose: () => sessions.dispose() };
}
