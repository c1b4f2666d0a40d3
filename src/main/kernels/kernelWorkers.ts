/**
 * The engine's kernel workers: several one-worker lanes (`refinePool.ts`), each job sent to the lane with the fewest
 * jobs waiting or running. Lanes start their worker on their first job, so a lane that is never needed costs nothing;
 * work arriving one job at a time stays on the first lane. Several lanes let a still be refined in strips side by
 * side (`refineStillAcrossWorkers.ts`) and let previews, background mattes and exports run beside each other.
 */
import { availableParallelism } from 'node:os';
import type { KernelJob, KernelResult } from './kernelJobs';
import { RefinePool, type RefinePoolOptions } from './refinePool';
import type { RefineJob, RefineResult } from './refineJob';

/** What callers need of the kernel workers (a single {@link RefinePool} also fits, in tests). */
export interface KernelRunner {
  run(job: RefineJob, signal?: AbortSignal): Promise<RefineResult>;
  runKernel<J extends KernelJob>(job: J, signal?: AbortSignal): Promise<KernelResult<J>>;
}

/** Options of {@link KernelWorkers}. */
export interface KernelWorkersOptions extends RefinePoolOptions {
  /** How many workers at most. @default {@link defaultWorkerCount} */
  workers?: number;
}

/**
 * One lane per core but one, up to four. The core left over is the host's and the model's: in a batch the model of
 * the next picture runs while this one is refined. Beyond four strips the rows of overlap each strip re-reads eat
 * most of the gain. On two cores this is one lane. A second lane there, used only while the model is idle (started
 * from a session's second still and warmed on synthetic strips), made a warm 1080p still 5–10 % faster but took peak
 * memory about 100 MB higher, past the 1536 MB target, and a one-shot cutout and a batch 2–3 % slower (the strips'
 * overlap, paid on one lane too so that a still's bytes never depend on which lanes were free): not worth it.
 * Measured again with two plain lanes once peak memory had dropped to about 1150 MB (pruned model): a warm 1080p
 * still 0.874 of the time (paired in one process), a batch unchanged (median 1.00, 0.89–1.07 over 12 pairs), but a
 * one-shot cutout 0.6 s slower (6.8–7.0 s against 6.2–6.9 s: the second worker's start and cold arrays) and 70 MB
 * higher: still one lane, as the one-shot cutout is the command line's common case.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Kernel workers shared by every path of the engine. */
export class KernelWorkers implements KernelRunner {
  private readonly lanes: RefinePool[];
  private readonly pending: number[];

  constructor(options: KernelWorkersOptions = {}) {
    const count = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
    let isReported = false;
    // Every lane falls back for the same reason (no worker can start): the log hears it once.
    const onFallback = (reason: string) => {
      if (isReported) return;
      isReported = true;
      options.onFallback?.(reason);
    };
    this.lanes = Array.from({ length: count }, () => new RefinePool({ ...options, onFallback }));
    this.pending = this.lanes.map(() => 0);
  }

  /** How many lanes there are (each at most one worker). */
  get size(): number {
    return this.lanes.length;
  }

  /** As {@link RefinePool.mode}, for the first lane. */
  get mode(): RefinePool['mode'] {
    return this.lanes[0]!.mode;
  }

  run(job: RefineJob, signal?: AbortSignal): Promise<RefineResult> {
    return this.runKernel(job, signal);
  }

  runKernel<J extends KernelJob>(job: J, signal?: AbortSignal): Promise<KernelResult<J>> {
    let lane = 0;
    for (let index = 1; index < this.lanes.length; index++) if (this.pending[index]! < this.pending[lane]!) lane = index;
    this.pending[lane]!++;
    return this.lanes[lane]!.runKernel(job, signal).finally(() => this.pending[lane]!--);
  }

  /** Starts the first lane's worker ahead of its first job ({@link RefinePool.prestart}); the others start on demand. */
  prestart(): void {
    this.lanes[0]!.prestart();
  }

  /** Stops every worker; queued jobs fail. */
  async dispose(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.dispose()));
  }
}
