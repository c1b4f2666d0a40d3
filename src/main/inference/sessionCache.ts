import type { ExecutionProviderId } from './executionProviders';
import type { InferenceQuality, InputSize } from './inferenceQuality';
import type { OpenedSessionInfo, RunOutcome } from './inferenceProtocol';
import { InferenceThread } from './inferenceThread';
import { inspectModelFile, type SessionShapes } from './inspectModelFile';
import { workerBeside } from '../threads/startModuleWorker';
import { MattingSession, type MattingSessionOptions, type RunnableModel } from './mattingSession';

/** An open model session, wherever it runs: what the pipeline uses of it. */
export interface OpenSession {
  /** The model as the open graph sees it. */
  readonly model: RunnableModel;
  /** The execution provider that runs it now. */
  readonly provider: ExecutionProviderId;
  /** Why it runs on a later provider than the first one asked for (empty when the first one runs it). */
  readonly providerFallbackReasons: readonly string[];
  /** The input size to prepare tensors at for a quality. */
  inputSize(quality?: InferenceQuality): InputSize;
  /**
   * Runs the model on an image resized to `size` (interleaved RGB bytes, see `resizeForModel`): the matte at model
   * resolution, values in [0, 1]. The bytes may be moved to the inference worker (left empty here): resize afresh
   * for each run.
   */
  run(rgb: Uint8Array, size?: InputSize): Promise<{ matte: Float32Array; width: number; height: number }>;
}

/** Options of {@link SessionCache}. */
export interface SessionCacheOptions extends MattingSessionOptions {
  /**
   * The inference worker's module, where sessions open and run off the host's event loop; `null` opens them on the
   * calling thread. @default `inferenceWorker` beside this file (`.ts` or `.js`)
   */
  inferenceWorker?: URL | null;
  /** Hears why sessions run on the calling thread, if the worker cannot start (once). */
  onFallback?: (reason: string) => void;
}

/**
 * Keeps one open session per model file so a batch or a clip pays the session start-up (about 0.3–0.5 s for IS-Net)
 * once. Sessions live in the inference worker: onnxruntime-node runs a model synchronously on the thread that calls
 * it, which on the host froze menus, IPC and progress for the whole run (about a second per 1024² IS-Net run).
 * Sessions hold hundreds of megabytes: call {@link SessionCache.dispose} when the engine shuts down, and
 * {@link SessionCache.evict} when a model is removed or fails.
 * Sessions are keyed by model file only: a graph with a symbolic input size (isnet-fp32) runs the `full` and `draft`
 * qualities in the same session, so a draft preview costs no second session.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<OpenSession>>();
  private thread: Promise<InferenceThread | undefined> | undefined;
  private readonly sessionOptions: MattingSessionOptions;

  constructor(private readonly options: SessionCacheOptions = {}) {
    const { providers, threads, lowMemory, verifiedHashesFile } = options;
    this.sessionOptions = { providers, threads, lowMemory, verifiedHashesFile };
  }

  /** The open session for `model`, opening it on first use. A failed open is not cached. */
  get(model: RunnableModel): Promise<OpenSession> {
    let session = this.sessions.get(model.path);
    if (!session) {
      session = this.open(model);
      this.sessions.set(model.path, session);
      session.catch(() => this.sessions.delete(model.path));
    }
    return session;
  }

  /** A model file's declared inputs and outputs, read in the inference worker (on the calling thread without one). */
  async inspect(path: string): Promise<SessionShapes> {
    const thread = await this.startThread();
    return thread ? thread.request<SessionShapes>({ kind: 'inspect', path }) : inspectModelFile(path);
  }

  /** Closes and forgets the session of one model file. */
  async evict(path: string): Promise<void> {
    const session = this.sessions.get(path);
    this.sessions.delete(path);
    await session?.then((open) => (open instanceof ThreadSession ? open.close() : (open as MattingSession).dispose())).catch(() => {});
  }

  /** Closes every session and stops the inference worker. */
  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((path) => this.evict(path)));
    const thread = await this.thread;
    this.thread = undefined;
    await thread?.stop();
  }

  private async open(model: RunnableModel): Promise<OpenSession> {
    const thread = await this.startThread();
    if (!thread) return MattingSession.open(model, this.sessionOptions);
    const info = await thread.request<OpenedSessionInfo>({ kind: 'open', model, options: this.sessionOptions });
    return new ThreadSession(thread, model.path, info);
  }

  private startThread(): Promise<InferenceThread | undefined> {
    this.thread ??= (async () => {
      const entry = this.options.inferenceWorker === undefined ? workerBeside(import.meta.url, 'inferenceWorker') : this.options.inferenceWorker;
      if (entry === null) return undefined;
      const started = await InferenceThread.start(entry);
      if ('thread' in started) return started.thread;
      this.options.onFallback?.(started.reason);
      return undefined;
    })();
    return this.thread;
  }
}

/** A session open in the inference worker. */
class ThreadSession implements OpenSession {
  private info: OpenedSessionInfo;

  constructor(
    private readonly thread: InferenceThread,
    private readonly path: string,
    info: OpenedSessionInfo,
  ) {
    this.info = info;
  }

  get model(): RunnableModel {
    return this.info.model;
  }

  get provider(): ExecutionProviderId {
    return this.info.provider;
  }

  get providerFallbackReasons(): readonly string[] {
    return this.info.providerFallbackReasons;
  }

  inputSize(quality: InferenceQuality = 'full'): InputSize {
    return this.info.sizes[quality];
  }

  async run(rgb: Uint8Array, size: InputSize = this.info.model.input): Promise<{ matte: Float32Array; width: number; height: number }> {
    // Listed for transfer when the bytes own their buffer (each resize serves one run); the worker packs the tensor.
    // sharp's output buffers are external memory, which postMessage copies even when listed (checked on Node 20): in
    // steady state that copy costs the host 0.2–0.4 ms for a 1024² picture, so it is left as it is.
    const ownsBuffer = rgb.byteOffset === 0 && rgb.byteLength === rgb.buffer.byteLength && rgb.byteLength > 0;
    const outcome = await this.thread.request<RunOutcome>({ kind: 'run', path: this.path, rgb, size }, ownsBuffer ? [rgb.buffer as ArrayBuffer] : []);
    this.info = { ...this.info, provider: outcome.provider, providerFallbackReasons: outcome.providerFallbackReasons };
    return { matte: outcome.matte, width: outcome.width, height: outcome.height };
  }

  close(): Promise<void> {
    return this.thread.request({ kind: 'close', path: this.path });
  }
}
