import { MattingSession, type MattingSessionOptions, type RunnableModel } from './mattingSession';

/**
 * Keeps one open session per model file so a batch or a clip pays the session start-up (about 0.3–0.5 s for IS-Net)
 * once. Sessions hold hundreds of megabytes: call {@link SessionCache.dispose} when the engine shuts down, and
 * {@link SessionCache.evict} when a model is removed or fails.
 * Sessions are keyed by model file only: a graph with a symbolic input size (isnet-fp32) runs the `full` and `draft`
 * qualities ({@link MattingSession.inputSize}) in the same session, so a draft preview costs no second session.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<MattingSession>>();

  constructor(private readonly options: MattingSessionOptions = {}) {}

  /** The open session for `model`, opening it on first use. A failed open is not cached. */
  get(model: RunnableModel): Promise<MattingSession> {
    let session = this.sessions.get(model.path);
    if (!session) {
      session = MattingSession.open(model, this.options);
      this.sessions.set(model.path, session);
      session.catch(() => this.sessions.delete(model.path));
    }
    return session;
  }

  /** Closes and forgets the session of one model file. */
  async evict(path: string): Promise<void> {
    const session = this.sessions.get(path);
    this.sessions.delete(path);
    await session?.then((open) => open.dispose()).catch(() => {});
  }

  /** Closes every session. */
  async dispose(): Promise<void> {
    const all = [...this.sessions.keys()];
    await Promise.all(all.map((path) => this.evict(path)));
  }
}
