/**
 * The host's side of the inference worker: starts it on first use, sends requests, and matches replies. When the
 * worker cannot start (its entry is missing, it fails to load), `start` resolves to `undefined` with the reason and
 * the caller runs sessions on its own thread instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { StudioError } from '../../shared/errors';
import { startModuleWorker } from '../threads/startModuleWorker';
import type { InferenceReply, InferenceRequest } from './inferenceProtocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** How long the worker may take to load (tsx compiles its sources on first start). */
const startTimeoutMs = 60_000;

export class InferenceThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: string | undefined;

  private constructor(private readonly entry: URL) {}

  /** Starts the worker at `entry`; resolves `{ thread }`, or `{ reason }` when it cannot start. */
  static async start(entry: URL): Promise<{ thread: InferenceThread } | { reason: string }> {
    if (entry.protocol === 'file:' && !existsSync(fileURLToPath(entry))) return { reason: `the inference worker ${fileURLToPath(entry)} does not exist` };
    const thread = new InferenceThread(entry);
    const reason = await thread.load();
    return reason === undefined ? { thread } : { reason };
  }

  /** Sends one request; rejects with the worker's error (a `StudioError` with its code) or `INTERNAL` if it died. */
  request<T>(message: WithoutId<InferenceRequest>, transfer: ArrayBuffer[] = []): Promise<T> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new StudioError('INTERNAL', 'The model could not run.', `inference worker: ${this.failure ?? 'stopped'}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref(); // a request in flight keeps the process alive; an idle worker does not
      worker.postMessage({ ...message, id } as InferenceRequest, transfer);
    });
  }

  /** Stops the worker; requests in flight fail. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll('the studio is closing');
    await worker?.terminate();
  }

  private load(): Promise<string | undefined> {
    let worker: Worker;
    try {
      worker = startModuleWorker(this.entry);
    } catch (error) {
      return Promise.resolve(`the inference worker could not start: ${String(error)}`);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(`the inference worker did not start within ${startTimeoutMs} ms`), startTimeoutMs);
      const fail = (reason: string) => {
        clearTimeout(timer);
        worker.off('message', onFirst);
        void worker.terminate();
        resolve(reason);
      };
      const onFirst = (message: InferenceReply) => {
        if (message.kind !== 'ready') return fail('the inference worker sent an unexpected first message');
        clearTimeout(timer);
        worker.off('message', onFirst);
        this.adopt(worker);
        resolve(undefined);
      };
      worker.on('message', onFirst);
      worker.once('error', (error) => (this.worker === worker ? this.died(error.message) : fail(`the inference worker failed to load: ${error.message}`)));
      worker.once('exit', (code) => (this.worker === worker ? this.died(`exit code ${code}`) : fail(`the inference worker exited while loading (code ${code})`)));
    });
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: InferenceReply) => {
      if (message.kind !== 'done') return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new StudioError(message.error.code, message.error.message, message.error.detail));
    });
  }

  private died(reason: string): void {
    this.failure = reason;
    this.worker = undefined;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new StudioError('INTERNAL', 'The model could not run.', `inference worker: ${reason}`));
    this.pending.clear();
  }
}
