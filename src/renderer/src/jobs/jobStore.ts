/**
 * Running jobs (matting, exports) with their progress, and the notices the studio shows (errors as plain sentences
 * naming the item, confirmations). Progress arrives through the contract's `onJobProgress` event by job id.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

/** One long request in flight. */
export interface Job {
  readonly jobId: string;
  readonly kind: 'matte' | 'export';
  readonly itemId: string;
  /** e.g. `Cutting out “beach.jpg”`. */
  readonly title: string;
  readonly stage: string;
  /** 0–1. */
  readonly fraction: number;
  /** Aborts the request's signal. */
  readonly cancel: () => void;
}

/** A message for the user. */
export interface Notice {
  readonly id: number;
  readonly tone: 'error' | 'warning' | 'info';
  readonly text: string;
}

/** Jobs and notices. */
export interface JobState {
  readonly jobs: readonly Job[];
  readonly notices: readonly Notice[];
}

/** The jobs store. */
export type JobStore = StoreApi<JobState>;

/** Most notices kept on screen; the oldest go first. */
const maximumNotices = 6;
/** Info notices fade after this long; errors stay until dismissed. */
const infoLifetimeMs = 6000;

let nextNoticeId = 1;
let jobCounter = 0;

/** A fresh job id; unique within this renderer (the engine scopes jobs per connection). */
export function createJobId(): string {
  jobCounter += 1;
  return `job-${Date.now().toString(36)}-${jobCounter}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/** Creates an empty jobs store. */
export function createJobStore(): JobStore {
  return createStore<JobState>()(() => ({ jobs: [], notices: [] }));
}

/** Adds a job at stage `Starting`. */
export function startJob(store: JobStore, job: Omit<Job, 'stage' | 'fraction'>): void {
  store.setState({ jobs: [...store.getState().jobs, { ...job, stage: 'Starting', fraction: 0 }] });
}

/** Applies a progress report; reports of unknown (finished or foreign) jobs are ignored. */
export function updateJobProgress(store: JobStore, progress: { jobId: string; stage: string; fraction: number }): void {
  const { jobs } = store.getState();
  if (!jobs.some((job) => job.jobId === progress.jobId)) return;
  const fraction = Math.min(1, Math.max(0, progress.fraction));
  store.setState({ jobs: jobs.map((job) => (job.jobId === progress.jobId ? { ...job, stage: progress.stage, fraction } : job)) });
}

/** Gives a running job a new title (a background pass that started before its item's name was known, say). */
export function retitleJob(store: JobStore, jobId: string, title: string): void {
  const { jobs } = store.getState();
  if (!jobs.some((job) => job.jobId === jobId && job.title !== title)) return;
  store.setState({ jobs: jobs.map((job) => (job.jobId === jobId ? { ...job, title } : job)) });
}

/** Removes a finished, failed or cancelled job. */
export function finishJob(store: JobStore, jobId: string): void {
  store.setState({ jobs: store.getState().jobs.filter((job) => job.jobId !== jobId) });
}

/** Shows a notice; info notices go away on their own. */
export function pushNotice(store: JobStore, tone: Notice['tone'], text: string): void {
  const notice: Notice = { id: nextNoticeId++, tone, text };
  store.setState({ notices: [...store.getState().notices, notice].slice(-maximumNotices) });
  if (tone === 'info') setTimeout(() => dismissNotice(store, notice.id), infoLifetimeMs);
}

/** Removes a notice. */
export function dismissNotice(store: JobStore, id: number): void {
  store.setState({ notices: store.getState().notices.filter((notice) => notice.id !== id) });
}
