import { cancelledError } from '../../shared/errors';

/**
 * Waits for `work` unless `signal` fires first, in which case it rejects at once with `CANCELLED`; `work` itself runs
 * on (shared work such as a model run another caller still wants, or a kernel that cannot be interrupted).
 */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal | undefined, what?: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(cancelledError(what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(cancelledError(what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs each key's work once at a time: callers asking for a key that is already being computed share the result.
 * The work gets no caller's signal (one caller leaving must not spoil it for the others); each caller may stop
 * waiting through {@link raceSignal}.
 */
export class SharedWork<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }
}
