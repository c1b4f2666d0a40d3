/**
 * The engine's kernel workers: several one-worker lanes (`refinePool.ts`), each job sent to the regular lane with the
 * fewest jobs waiting or running. Lanes start their worker on their first job, so a lane that is never needed costs
 * nothing; work arriving one job at a time stays on the first lane. Several lanes let a still be refined in strips
 * side by side (`refineStillAcrossWorkers.ts`) and let previews, background mattes and exports run beside each other.
 *
 * Spare lanes use the core kept for the host and the model while that core is idle: once the model has run, a still's
 * refinement is all that is left. They take a still's strips only, and only in a session that has shown it refines
 * more than one still, and only while the model is not running: they start on the session's second still, warm up on
 * small synthetic strips, and take strips from the next still on. A one-picture command never starts them. Which lanes
 * refine a still's strips never changes its bytes: the strips come from the picture alone (`balancedStrips.ts`).
 */
import { availableParallelism } from 'node:os';
import { StudioError } from '../../shared/errors';
import type { KernelJob, KernelResult } from './kernelJobs';
import { RefinePool, type RefinePoolOptions } from './refinePool';
import type { RefineJob, RefineResult } from './refineJob';
import { warmUpJobs } from './warmUpJobs';

/** What callers need of the kernel workers (a single {@link RefinePool} also fits, in tests). */
export interface KernelRunner {
  run(job: RefineJob, signal?: AbortSignal): Promise<RefineResult>;
  runKernel<J extends KernelJob>(job: J, signal?: AbortSignal): Promise<KernelResult<J>>;
}

/** What a still refined in strips needs of the kernel workers. */
export interface StripRunner {
  /** Lanes that may take a strip now: every regular lane, and each spare lane once it is up and warm. */
  readonly stripLanes: number;
  /** Runs a job on lane `lane` (below {@link stripLanes}). */
  runOnLane(lane: number, job: RefineJob, signal?: AbortSignal): Promise<RefineResult>;
  /** Tells the workers a still is about to be refined; the session's second wakes the spare lanes. */
  noteStill(job: RefineJob): void;
}

/** Options of {@link KernelWorkers}. */
export interface KernelWorkersOptions extends RefinePoolOptions {
  /** How many regular workers at most. @default {@link defaultWorkerCount} */
  workers?: number;
  /** How many spare workers at most. @default {@link defaultSpareWorkerCount} */
  spareWorkers?: number;
  /**
   * Whether the model is running now: spare lanes take strips only while it is not, as their core is the model's (in
   * a batch the next picture's model runs while this one is refined, and both cores are already busy).
   */
  isModelRunning?: () => boolean;
}

/**
 * One lane per core but one, up to four. The core left over is the host's and the model's: in a batch the model of
 * the next picture runs while this one is refined. Beyond four strips the rows of overlap each strip re-reads eat
 * most of the gain.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * The core the regular lanes leave to the host and the model, as a spare lane, while lanes are at most four. On the
 * 2-core VM (`npm run bench -- still`, alternating with the code before it) a warm 1080p still went from 1.95–2.22×
 * to 1.79–1.99× the bare model's time with it, for about 100 MB more peak memory.
 */
export function defaultSpareWorkerCount(): number {
  return Math.max(0, Math.min(4, availableParallelism()) - defaultWorkerCount());
}

/** A spare lane and how far it is from taking strips. */
interface SpareLane {
  pool: RefinePool;
  state: 'asleep' | 'warming' | 'ready' | 'failed';
}

/** Kernel workers shared by every path of the engine. */
export class KernelWorkers implements KernelRunner, StripRunner {
  private readonly lanes: RefinePool[];
  private readonly pending: number[];
  private readonly spares: SpareLane[];
  private stillsNoted = 0;
  private readonly isModelRunning: () => boolean;

  constructor(options: KernelWorkersOptions = {}) {
    const count = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
    const spareCount = Math.max(0, Math.floor(options.spareWorkers ?? defaultSpareWorkerCount()));
    let isReported = false;
    // Every lane falls back for the same reason (no worker can start): the log hears it once.
    const onFallback = (reason: string) => {
      if (isReported) return;
      isReported = true;
      options.onFallback?.(reason);
    };
    this.isModelRunning = options.isModelRunning ?? (() => false);
    this.lanes = Array.from({ length: count }, () => new RefinePool({ ...options, onFallback }));
    this.pending = this.lanes.map(() => 0);
    // A spare lane never runs in-process: on the host thread it would only slow the host down.
    this.spares = options.workerEntry === null ? [] : Array.from({ length: spareCount }, () => ({ pool: new RefinePool({ ...options, onFallback: undefined, workerOnly: true }), state: 'asleep' as const }));
  }

  /** How many regular lanes there are (each at most one worker). */
  get size(): number {
    return this.lanes.length;
  }

  get stripLanes(): number {
    return this.lanes.length + this.readySpares().length;
  }

  /** Where each spare lane stands: asleep, warming up, taking strips, or given up (for the log and tests). */
  get spareLaneStates(): ReadonlyArray<SpareLane['state']> {
    return this.spares.map((spare) => spare.state);
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
    return this.runOnRegularLane(lane, job, signal);
  }

  runOnLane(lane: number, job: RefineJob, signal?: AbortSignal): Promise<RefineResult> {
    const spare = this.readySpares()[lane - this.lanes.length];
    // A spare lane that failed, or whose core the model took, since the caller counted the lanes: a regular lane
    // takes its strip.
    if (!spare) return this.runOnRegularLane(lane % this.lanes.length, job, signal);
    return spare.pool.run(job, signal).catch((error: unknown) => {
      // Its worker crashed: the still fails as it would on a regular lane, and later stills leave this lane alone.
      if (!(error instanceof StudioError && error.code === 'CANCELLED')) spare.state = 'failed';
      throw error;
    });
  }

  noteStill(job: RefineJob): void {
    if (++this.stillsNoted !== 2) return;
    for (const spare of this.spares) void this.wake(spare, job);
  }

  /** Starts the first lane's worker ahead of its first job ({@link RefinePool.prestart}); the others start on demand. */
  prestart(): void {
    this.lanes[0]!.prestart();
  }

  /** Stops every worker; queued jobs fail. */
  async dispose(): Promise<void> {
    await Promise.all([...this.lanes, ...this.spares.map((spare) => spare.pool)].map((lane) => lane.dispose()));
  }

  /** The spare lanes that may take a strip now: warm, and the model is not running on their core. */
  private readySpares(): SpareLane[] {
    if (this.isModelRunning()) return [];
    return this.spares.filter((spare) => spare.state === 'ready');
  }

  private runOnRegularLane<J extends KernelJob>(lane: number, job: J, signal?: AbortSignal): Promise<KernelResult<J>> {
    this.pending[lane]!++;
    return this.lanes[lane]!.runKernel(job, signal).finally(() => this.pending[lane]!--);
  }

  /**
   * Starts a spare lane's worker and refines a few small synthetic strips in it, with the still's own settings and
   * layouts: a cold worker's first strips run in V8's slower tiers and would make a still slower, not faster.
   */
  private async wake(spare: SpareLane, still: RefineJob): Promise<void> {
    spare.state = 'warming';
    try {
      for (const job of warmUpJobs(still)) await spare.pool.run(job);
      spare.state = spare.pool.mode === 'worker' ? 'ready' : 'failed';
    } catch {
      spare.state = 'failed'; // the regular lanes carry on alone
    }
  }
}
