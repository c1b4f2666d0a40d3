/**
 * Runs refinement jobs off the host's event loop (DESIGN §2): one `worker_threads` worker, jobs queued in order.
 * The worker entry is injectable (the Electron build passes its bundled entry); from TypeScript sources (tsx: CLI,
 * tests, web shell) the `.ts` entry starts through tsx's loader. When no worker can start, jobs run in-process,
 * with the reason reported once.
 *
 * Cancelling a queued job removes it; cancelling a running one rejects its caller at once and raises the job's
 * shared flag, which the worker checks between stages, so the next job starts soon after.
 */
import type { Worker } from 'node:worker_threads';
import { cancelledError, StudioError, type ErrorData } from '../../shared/errors';
import { kernelTransferables, runKernelJob, type KernelJob, type KernelResult } from './kernelJobs';
import { ownedPlanesOf, type RefineJob, type RefineResult } from './refineJob';
import type { WorkerRequest } from './refineWorker';
import { startReadyWorker, workerBeside } from '../threads/startModuleWorker';
import { releaseWorkingArrays } from '../../core/workingArrays';

/** Options of {@link RefinePool}. */
export interface RefinePoolOptions {
  /** The worker module; `null` runs every job in-process. @default `refineWorker` beside this file (`.ts` or `.js`) */
  workerEntry?: URL | null;
  /** How long the worker may take to load before jobs run in-process instead. @default 60 000 */
  startTimeoutMs?: number;
  /** Hears why jobs run in-process (once), for the log. */
  onFallback?: (reason: string) => void;
}

interface QueuedJob {
  job: KernelJob;
  signal?: AbortSignal;
  cancelFlag: Int32Array<SharedArrayBuffer>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  settled: boolean;
  /** Removes the job's abort listener: a batch's one signal otherwise gathers a listener per job it ever ran. */
  detach?: () => void;
}

type WorkerReply = { kind: 'ready' } | ({ kind: 'done'; id: number } & ({ ok: true; result: unknown } | { ok: false; error: ErrorData }));

/** Worker crashes tolerated before the pool gives up on workers. */
const maxCrashes = 2;

/** A one-worker refinement pool. */
export class RefinePool {
  private readonly queue: QueuedJob[] = [];
  private worker: Worker | undefined;
  private starting: Promise<Worker | undefined> | undefined;
  private running: { id: number; entry: QueuedJob } | undefined;
  private fallbackReason: string | undefined;
  private crashes = 0;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: RefinePoolOptions = {}) {}

  /** `worker` once a worker answered, `in-process` after falling back, `idle` before the first job. */
  get mode(): 'worker' | 'in-process' | 'idle' {
    return this.fallbackReason !== undefined ? 'in-process' : this.worker ? 'worker' : 'idle';
  }

  /** Why jobs run in-process, if they do. */
  get fallback(): string | undefined {
    return this.fallbackReason;
  }

  /** Queues a refinement; rejects with `CANCELLED` as soon as `signal` fires. */
  run(job: RefineJob, signal?: AbortSignal): Promise<RefineResult> {
    return this.runKernel(job, signal);
  }

  /** Queues any kernel job (cartoon detection, a matte's quality check, a refinement). */
  runKernel<J extends KernelJob>(job: J, signal?: AbortSignal): Promise<KernelResult<J>> {
    if (this.disposed) return Promise.reject(new StudioError('INTERNAL', 'The studio is closing.'));
    if (signal?.aborted) return Promise.reject(cancelledError('Refining the matte'));
    return new Promise<KernelResult<J>>((resolve, reject) => {
      const entry: QueuedJob = { job, signal, cancelFlag: new Int32Array(new SharedArrayBuffer(4)), resolve: resolve as (result: unknown) => void, reject, settled: false };
      const onAbort = () => this.cancel(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.detach = () => signal?.removeEventListener('abort', onAbort);
      this.queue.push(entry);
      void this.pump();
    });
  }

  /**
   * Starts the worker now, before any job needs it, so its start (about 0.4 s on the 2-core VM) overlaps other work
   * (a batch opening the model's session) instead of delaying the first job. Jobs queued meanwhile run once it is up.
   */
  prestart(): void {
    if (this.worker || this.starting || this.disposed || this.fallbackReason !== undefined) return;
    this.starting = this.startWorker().finally(() => {
      this.starting = undefined;
      void this.pump();
    });
  }

  /** Stops the worker; queued jobs fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const entry of this.queue.splice(0)) settle(entry, () => entry.reject(new StudioError('INTERNAL', 'The studio is closing.')));
    const worker = this.worker ?? (await this.starting);
    this.worker = undefined;
    await worker?.terminate();
  }

  private cancel(entry: QueuedJob): void {
    Atomics.store(entry.cancelFlag, 0, 1);
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
    settle(entry, () => entry.reject(cancelledError('Refining the matte')));
  }

  private async pump(): Promise<void> {
    if (this.running || this.starting || this.disposed) return;
    const entry = this.queue.shift();
    if (!entry) return;
    const worker = this.worker ?? (this.fallbackReason === undefined ? await (this.starting = this.startWorker()).finally(() => (this.starting = undefined)) : undefined);
    if (this.disposed) return;
    if (entry.settled) return void this.pump(); // cancelled while the worker was starting
    const id = this.nextId++;
    this.running = { id, entry };
    if (worker) {
      worker.ref();
      const request: WorkerRequest = { id, job: entry.job, cancelFlag: entry.cancelFlag.buffer };
      // A clip's previous-frame state, and the planes of a job that owns them, are not used here again: moved, not copied.
      const owned = 'task' in entry.job ? [] : ownedPlanesOf(entry.job);
      worker.postMessage(request, [...kernelTransferables({ clip: 'clip' in entry.job ? entry.job.clip : undefined }), ...owned]);
      return;
    }
    try {
      const result = await runKernelJob(entry.job, () => Atomics.load(entry.cancelFlag, 0) === 1);
      settle(entry, () => entry.resolve(result));
    } catch (error) {
      settle(entry, () => entry.reject(error));
    }
    // On the host the kernels' working arrays are not kept between jobs: this thread is the studio's, not a worker's.
    releaseWorkingArrays();
    this.finish(id);
  }

  private finish(id: number): void {
    if (this.running?.id !== id) return;
    this.running = undefined;
    this.worker?.unref();
    void this.pump();
  }

  private async startWorker(): Promise<Worker | undefined> {
    const entry = this.options.workerEntry === undefined ? workerBeside(import.meta.url, 'refineWorker') : this.options.workerEntry;
    if (entry === null) return this.giveUp('in-process refinement was asked for');
    const started = await startReadyWorker(entry, 'worker', this.options.startTimeoutMs ?? 60_000);
    if ('reason' in started) return this.giveUp(started.reason);
    this.adopt(started.worker);
    return started.worker;
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: WorkerReply) => {
      if (message.kind !== 'done' || this.running?.id !== message.id) return;
      const { entry } = this.running;
      if (message.ok) settle(entry, () => entry.resolve(message.result));
      else settle(entry, () => entry.reject(new StudioError(message.error.code, message.error.message, message.error.detail)));
      this.finish(message.id);
    });
    const crashed = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      void worker.terminate();
      if (++this.crashes >= maxCrashes) this.giveUp(`the worker crashed ${this.crashes} times (last: ${reason})`);
      const running = this.running;
      if (running) {
        settle(running.entry, () => running.entry.reject(new StudioError('INTERNAL', 'The preview could not be rendered.', `refinement worker: ${reason}`)));
        this.finish(running.id);
      }
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
  }

  private giveUp(reason: string): undefined {
    if (this.fallbackReason === undefined) {
      this.fallbackReason = reason;
      this.options.onFallback?.(reason);
    }
    return undefined;
  }
}

function settle(entry: QueuedJob, action: () => void): void {
  if (entry.settled) return;
  entry.settled = true;
  entry.detach?.();
  action();
}
