/**
 * Which frames of each clip have a matte in the engine's cache, as the engine's background passes report them
 * (`watchMatting` → `onMattingProgress`): the timeline draws them as a filled bar, the canvas shows their matte while
 * scrubbing and playing, and each running pass is a job (progress and Cancel) in the jobs bar. One per connection.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import type { StudioApi } from '../connection/connectStudio';
import { finishJob, retitleJob, startJob, updateJobProgress, type JobStore } from '../jobs/jobStore';

/** Coverage by item id. */
export interface MatteCoverageState {
  readonly byItem: Readonly<Record<string, MattingCoverage>>;
}

/** The coverage of one connection. */
export interface MatteCoverage {
  readonly store: StoreApi<MatteCoverageState>;
  /** True when the engine said this frame's matte is cached. */
  isMatted(itemId: string, frameIndex: number): boolean;
  /** True when the cached matte of this frame is at full quality (the draft sweep's has been replaced). */
  isFullQuality(itemId: string, frameIndex: number): boolean;
  dispose(): void;
}

/** What the jobs bar needs to show background passes. */
export interface MatteCoverageJobs {
  jobs: JobStore;
  /**
   * The item's name for the job title; undefined while the document does not list the item yet (the engine starts a
   * pass as soon as it opens a clip, which can be before the document hears of it): the title follows once it does.
   */
  nameOf: (itemId: string) => string | undefined;
}

/** Each connection's coverage, and how to give it the jobs bar when a later call brings it. */
const perApi = new WeakMap<StudioApi, { coverage: MatteCoverage; attachJobs(jobs: MatteCoverageJobs): void }>();

/** True when `frameIndex` lies in one of the half-open ranges. */
export function isFrameInRanges(ranges: ReadonlyArray<readonly [number, number]>, frameIndex: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = ranges[middle]!;
    if (frameIndex < start) high = middle - 1;
    else if (frameIndex >= end) low = middle + 1;
    else return true;
  }
  return false;
}

/**
 * The coverage of a connection, created (and subscribed) on first use; `jobs` is used by the first call that passes
 * it. Without an engine that knows `watchMatting` the coverage simply stays empty.
 */
export function matteCoverageFor(api: StudioApi, jobs?: MatteCoverageJobs): MatteCoverage {
  const existing = perApi.get(api);
  if (existing) {
    // Panels that only read coverage (library, timeline) may mount before the preview controller brings the jobs.
    if (jobs) existing.attachJobs(jobs);
    return existing.coverage;
  }
  let jobsBar = jobs;
  const store = createStore<MatteCoverageState>()(() => ({ byItem: {} }));
  const watching = new AbortController();
  const runningJobs = new Set<string>();

  const showJob = (coverage: MattingCoverage) => {
    const jobs = jobsBar;
    if (!jobs) return;
    const isRunning = coverage.state === 'queued' || coverage.state === 'running';
    const name = jobs.nameOf(coverage.itemId);
    const title = name === undefined ? 'Matting a clip in the background' : `Matting “${name}” in the background`;
    if (isRunning && !runningJobs.has(coverage.jobId)) {
      runningJobs.add(coverage.jobId);
      startJob(jobs.jobs, {
        jobId: coverage.jobId,
        kind: 'matte',
        itemId: coverage.itemId,
        title,
        cancel: () => void api.cancelBackgroundMatting({ itemId: coverage.itemId }).catch(() => {}),
      });
    }
    if (isRunning) {
      retitleJob(jobs.jobs, coverage.jobId, title);
      updateJobProgress(jobs.jobs, { jobId: coverage.jobId, ...coverageProgress(coverage) });
    } else if (runningJobs.delete(coverage.jobId)) finishJob(jobs.jobs, coverage.jobId);
  };

  const events = api.on('onMattingProgress', (coverage) => {
    store.setState({ byItem: { ...store.getState().byItem, [coverage.itemId]: coverage } });
    showJob(coverage);
  });
  // Resolves only when cancelled (or the connection closes); an older engine without the method rejects at once.
  api.watchMatting({}, { signal: watching.signal }).catch(() => {});

  const coverage: MatteCoverage = {
    store,
    isMatted: (itemId, frameIndex) => isFrameInRanges(store.getState().byItem[itemId]?.ranges ?? [], frameIndex),
    isFullQuality: (itemId, frameIndex) => isFrameInRanges(store.getState().byItem[itemId]?.fullRanges ?? [], frameIndex),
    dispose() {
      watching.abort();
      events.dispose();
      if (jobsBar) for (const jobId of runningJobs) finishJob(jobsBar.jobs, jobId);
      runningJobs.clear();
      perApi.delete(api);
    },
  };
  perApi.set(api, {
    coverage,
    attachJobs(late) {
      if (jobsBar) return;
      jobsBar = late;
      // Passes already running when the jobs bar arrives get their job lines now.
      for (const report of Object.values(store.getState().byItem)) showJob(report);
    },
  });
  return coverage;
}

/**
 * The job line of a background pass. With a draft sweep the pass covers each frame twice (draft, then full), so the
 * fraction counts both; a model without draft has as many full frames as matted ones and reads as one sweep.
 */
export function coverageProgress(coverage: MattingCoverage): { stage: string; fraction: number } {
  const { mattedFrames, fullFrames, frameCount } = coverage;
  if (fullFrames >= mattedFrames) return { stage: `${mattedFrames} of ${frameCount} frames matted`, fraction: mattedFrames / frameCount };
  return { stage: `${mattedFrames} of ${frameCount} frames in draft, ${fullFrames} at full quality`, fraction: (mattedFrames + fullFrames) / (2 * frameCount) };
}
