/**
 * Mattes whole clips in the background after they are opened, so scrubbing, playback and exports find every frame's
 * matte in the cache. One job per clip, one clip at a time, each frame only while no user request runs (see
 * `userActivity.ts`); frames already cached (memory or disk) are skipped, and a frame identical to the one whose
 * matte the pass just computed reuses that matte. Cancelling keeps every frame matted so far: cache writes are atomic.
 *
 * Two sweeps where the model allows it: first at the draft input size (about 4× faster on the bundled model, softer
 * edges; `npm run bench -- inference`), so the whole clip can be reviewed in motion soon after opening; then at full
 * size, which is what exports reuse. A model with a fixed input size gets the full sweep only.
 */
import { randomUUID } from 'node:crypto';
import type { Image8 } from '../../core/imageTypes';
import type { MattingCoverage } from '../../shared/contract/studioContract';
import { isStudioError, toErrorData } from '../../shared/errors';
import type { InferenceQuality } from '../inference/inferenceQuality';
import type { TieredMatte } from '../pipeline/computeMatte';
import { isSameFrame } from '../pipeline/isSameFrame';
import { decodeFrames } from '../media/decodeFrames';
import type { StudioItem } from './itemRegistry';
import type { MatteCache } from '../matteCache/matteCache';

interface ClipJob {
  readonly item: StudioItem;
  readonly modelId: string | undefined;
  readonly jobId: string;
  readonly controller: AbortController;
  /** 1 where the frame's matte is cached at any quality. */
  readonly matted: Uint8Array;
  /** 1 where the frame's full-quality matte is cached (what exports reuse). */
  readonly fullMatted: Uint8Array;
  state: MattingCoverage['state'];
  message?: string;
  lastEmitMs: number;
  /** Frames whose matte came from an identical earlier frame. */
  reusedFrames: number;
  /** Frames the model ran on, and the time it took (for the frames-per-second figure). */
  computedFrames: number;
  computeMs: number;
}

/** Options of {@link BackgroundMatting}. */
export interface BackgroundMattingOptions {
  /** Hears failures of a pass (decode errors and the like), for the log. */
  onError?: (error: unknown) => void;
  /** The scrub layers' small mattes, made as the pass goes (see {@link PlaybackMattes}). */
  playback?: PlaybackMattes;
}

/** What the pass does for playback besides matting: the scrub layers resize each frame's matte to the proxy size. */
export interface PlaybackMattes {
  /** A frame's matte the pass just stored. Not awaited: it must not hold up the pass. */
  prepare(item: StudioItem, frameIndex: number, modelKey: string, tiered: TieredMatte, quality: InferenceQuality): void;
  /** A frame matted before (another session, an export): make its small matte unless it exists. */
  ensure(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality): Promise<void>;
}

/** Smallest time between two progress reports of one clip. */
const reportIntervalMs = 100;

/** The background passes over clips. */
export class BackgroundMatting {
  private readonly jobs = new Map<string, ClipJob>();
  private readonly listeners = new Set<(coverage: MattingCoverage) => void>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly mattes: MatteCache,
    private readonly lifetime: AbortSignal,
    private readonly options: BackgroundMattingOptions = {},
  ) {}

  /** Hears every change of every clip's coverage (at most ~10 per second per clip); returns the unsubscribe function. */
  subscribe(listener: (coverage: MattingCoverage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queues the pass over a clip with a model (stills are ignored). A pass already queued, running or finished with
   * the same model is left alone; one with another model, or one that was cancelled or failed, is replaced.
   */
  start(item: StudioItem, modelId: string | undefined): void {
    if (item.info.kind !== 'clip' || this.lifetime.aborted) return;
    const existing = this.jobs.get(item.info.id);
    if (existing && existing.item === item && existing.modelId === modelId && (existing.state === 'queued' || existing.state === 'running' || existing.state === 'done')) return;
    existing?.controller.abort();
    const job: ClipJob = {
      item,
      modelId,
      jobId: `background-matte-${randomUUID()}`,
      controller: new AbortController(),
      matted: new Uint8Array(item.info.frameCount ?? 1),
      fullMatted: new Uint8Array(item.info.frameCount ?? 1),
      state: 'queued',
      lastEmitMs: 0,
      reusedFrames: 0,
      computedFrames: 0,
      computeMs: 0,
    };
    this.jobs.set(item.info.id, job);
    this.emit(job, true);
    this.queue = this.queue.then(() => this.run(job));
  }

  /**
   * After a matte the user asked for: starts the pass when the clip has none or another model was chosen. A pass with
   * the same model is left as it is, so one the user cancelled stays cancelled (only {@link start} resumes it).
   */
  follow(item: StudioItem, modelId: string | undefined): void {
    const existing = this.jobs.get(item.info.id);
    if (existing && existing.item === item && existing.modelId === modelId) return;
    this.start(item, modelId);
  }

  /** Stops the pass over a clip; true when one was queued or running. */
  cancel(itemId: string): boolean {
    const job = this.jobs.get(itemId);
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return false;
    job.controller.abort();
    job.state = 'cancelled';
    this.emit(job, true);
    return true;
  }

  /** Marks a frame the user had matted (full quality, with the pass's model) as covered, so the timeline shows it at once. */
  noteMatted(itemId: string, frameIndex: number, modelId: string | undefined): void {
    const job = this.jobs.get(itemId);
    if (!job || job.modelId !== modelId || job.fullMatted[frameIndex] !== 0) return;
    job.matted[frameIndex] = 1;
    job.fullMatted[frameIndex] = 1;
    this.emit(job, true);
  }

  /** Where the pass over a clip stands, or undefined when it has none. */
  coverage(itemId: string): MattingCoverage | undefined {
    const job = this.jobs.get(itemId);
    return job && coverageOf(job);
  }

  /** Every clip's coverage. */
  all(): MattingCoverage[] {
    return [...this.jobs.values()].map(coverageOf);
  }

  /** Frames per second the model managed in the passes so far, and how many frames reused an identical one's matte. */
  stats(itemId: string): { computedFrames: number; reusedFrames: number; framesPerSecond: number } | undefined {
    const job = this.jobs.get(itemId);
    if (!job) return undefined;
    return { computedFrames: job.computedFrames, reusedFrames: job.reusedFrames, framesPerSecond: job.computeMs > 0 ? (job.computedFrames * 1000) / job.computeMs : 0 };
  }

  /** Stops and drops the pass of an item (its file changed, or it was closed). */
  forget(itemId: string): void {
    this.cancel(itemId);
    this.jobs.delete(itemId);
  }

  /** Stops every pass. */
  dispose(): void {
    for (const itemId of [...this.jobs.keys()]) this.cancel(itemId);
  }

  private async run(job: ClipJob): Promise<void> {
    const signal = AbortSignal.any([job.controller.signal, this.lifetime]);
    if (signal.aborted) return;
    job.state = 'running';
    this.emit(job, true);
    try {
      await this.matteClip(job, signal);
      job.state = 'done';
    } catch (error) {
      if (signal.aborted || isStudioError(error, 'CANCELLED')) {
        job.state = 'cancelled';
      } else {
        job.state = 'failed';
        job.message = toErrorData(error).message;
        this.options.onError?.(error);
      }
    }
    this.emit(job, true);
  }

  private async matteClip(job: ClipJob, signal: AbortSignal): Promise<void> {
    const { item, matted, fullMatted } = job;
    const modelKey = await this.mattes.modelKey(job.modelId);
    for (let frameIndex = 0; frameIndex < matted.length; frameIndex++) {
      if (await this.mattes.has(item, frameIndex, modelKey, 'full')) fullMatted[frameIndex] = matted[frameIndex] = 1;
      else if (await this.mattes.has(item, frameIndex, modelKey, 'draft')) matted[frameIndex] = 1;
    }
    this.emit(job, true);
    const sweeps: InferenceQuality[] = (await this.mattes.hasDraft(job.modelId)) ? ['draft', 'full'] : ['full'];
    for (const quality of sweeps) await this.sweep(job, modelKey, quality, signal);
    // Frames matted before this pass (cached on disk) get their small mattes too, so the clip plays matted at once.
    if (!this.options.playback) return;
    for (let frameIndex = 0; frameIndex < matted.length; frameIndex++) {
      await this.mattes.activity.whenIdle(signal);
      await this.options.playback.ensure(item, frameIndex, modelKey, fullMatted[frameIndex] ? 'full' : 'draft');
    }
  }

  /** One pass over the clip at one quality; frames already covered at that quality (or better) are skipped. */
  private async sweep(job: ClipJob, modelKey: string, quality: InferenceQuality, signal: AbortSignal): Promise<void> {
    const { item, matted, fullMatted } = job;
    const covered = quality === 'draft' ? matted : fullMatted;
    const firstMissing = covered.indexOf(0);
    if (firstMissing < 0) return;
    let anchor: { image: Image8; tiered: TieredMatte } | undefined;
    for await (const frame of decodeFrames(item.info.path, { info: item.media, startFrame: firstMissing, signal })) {
      if (covered[frame.index]) {
        anchor = undefined;
        continue;
      }
      await this.mattes.activity.whenIdle(signal);
      // The decoder hands out views into its pipe buffer: keep a copy that stays valid.
      const image: Image8 = { ...frame.image, data: new Uint8Array(frame.image.data) };
      if (anchor && isSameFrame(anchor.image, image)) {
        await this.mattes.store(item, frame.index, modelKey, anchor.tiered, quality);
        job.reusedFrames += 1;
      } else {
        const startMs = performance.now();
        const tiered = await this.mattes.get(item, frame.index, job.modelId, { image, signal, priority: 'background', quality });
        job.computeMs += performance.now() - startMs;
        job.computedFrames += 1;
        anchor = { image, tiered };
      }
      this.options.playback?.prepare(item, frame.index, modelKey, anchor.tiered, quality);
      matted[frame.index] = 1;
      if (quality === 'full') fullMatted[frame.index] = 1;
      this.emit(job, false);
    }
  }

  private emit(job: ClipJob, force: boolean): void {
    const now = Date.now();
    if (!force && now - job.lastEmitMs < reportIntervalMs) return;
    job.lastEmitMs = now;
    const coverage = coverageOf(job);
    for (const listener of [...this.listeners]) listener(coverage);
  }
}

/** The coverage report of a job. */
function coverageOf(job: ClipJob): MattingCoverage {
  const matted = rangesOf(job.matted);
  const full = rangesOf(job.fullMatted);
  return {
    itemId: job.item.info.id,
    jobId: job.jobId,
    state: job.state,
    frameCount: job.matted.length,
    mattedFrames: matted.count,
    ranges: matted.ranges,
    fullFrames: full.count,
    fullRanges: full.ranges,
    ...(job.message ? { message: job.message } : {}),
  };
}

/** The half-open `[start, end)` runs of 1s in a per-frame flag array, and how many 1s there are. */
function rangesOf(flags: Uint8Array): { ranges: Array<[number, number]>; count: number } {
  const ranges: Array<[number, number]> = [];
  let count = 0;
  let start = -1;
  for (let index = 0; index <= flags.length; index++) {
    const isSet = index < flags.length && flags[index] === 1;
    if (isSet) count += 1;
    if (isSet && start < 0) start = index;
    if (!isSet && start >= 0) {
      ranges.push([start, index]);
      start = -1;
    }
  }
  return { ranges, count };
}
