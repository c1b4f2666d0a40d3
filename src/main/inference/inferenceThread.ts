/**
 * The host's side of the inference worker: starts it, sends requests, and matches replies. When the worker cannot
 * start (its entry is missing, it fails to load), `start` resolves `{ reason }` and the caller runs sessions on its
 * own thread instead.
 */
import type { Worker } from 'node:worker_threads';
import { StudioError } from '../../shared/errors';
import { startReadyWorker } from '../threads/startModuleWorker';
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

  private constructor() {}

  /** Starts the worker at `entry`; resolves `{ thread }`, or `{ reason }` when it cannot start. */
  static async start(entry: URL): Promise<{ thread: InferenceThread } | { reason: string }> {
    const started = await startReadyWorker(entry, 'inference worker', startTimeoutMs);
    if ('reason' in started) return started;
    const thread = new InferenceThread();
    thread.adopt(started.worker);
    return { thread };
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

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.unref();
    worker.once('error', (error) => this.died(error.message));
    worker.once('exit', (code) => this.died(`exit code ${code}`));
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
    if (!this.worker) return; // stopped on purpose
    this.failure = reason;
    this.worker = undefined;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new StudioError('INTERNAL', 'The model could not run.', `inference worker: ${reason}`));
    this.pending.clear();
  }
}
