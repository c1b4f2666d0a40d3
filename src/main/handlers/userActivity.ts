/**
 * Who goes first: the user's own requests (previews, mattes of the frame on screen, exports) run as soon as they
 * arrive, and background work (matting whole clips) starts its next step only while none of them is running. A
 * background step already running finishes, so the user waits at most one background frame.
 */
import { cancelledError } from '../../shared/errors';

/** Counts the user's requests in flight; background work waits for none. */
export class UserActivity {
  private active = 0;
  private lastEndMs = -Infinity;
  private waiters: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param quietMs How long after the last user request background work stays held back, so the pauses between
   * the requests of a scrub or a slider drag do not let a background frame in. @default 250
   */
  constructor(private readonly quietMs = 250) {}

  /** True while a user request runs. */
  get isBusy(): boolean {
    return this.active > 0;
  }

  /** Runs `work` as a user request: background work holds back until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) {
        this.lastEndMs = Date.now();
        this.schedule();
      }
    }
  }

  /** Resolves when no user request runs (at once when none does); rejects with `CANCELLED` when `signal` fires. */
  whenIdle(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError('Background matting'));
    if (this.isQuiet()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        reject(cancelledError('Background matting'));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
      this.schedule();
    });
  }

  private isQuiet(): boolean {
    return this.active === 0 && Date.now() - this.lastEndMs >= this.quietMs;
  }

  /** Wakes the waiters once the quiet time has passed with no user request running. */
  private schedule(): void {
    if (this.active > 0 || this.waiters.length === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.isQuiet()) return this.schedule();
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }, Math.max(0, this.lastEndMs + this.quietMs - Date.now()));
  }
}
