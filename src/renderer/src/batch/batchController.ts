/**
 * Runs batch exports for the dialog: one run at a time, as a job in the jobs bar; per-item rows fed by
 * `onJobProgress` (this batch's jobId) and `onBatchItem`; Cancel through `cancelBatch` so the run still ends with its
 * partial outcome; "Retry failed" from the last outcome; a desktop notification at the end. Lives as long as the
 * connection (the dialog may close while a batch runs and reopen on its progress).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { cancelledSkipReason, formatAppliesTo, retryFailed, type BatchItemOutcome, type BatchRequestInput } from '../../../shared/batchTypes';
import type { StudioContract } from '../../../shared/contract/studioContract';
import type { MethodOutput } from '../../../shared/rpc/defineContract';
import type { StudioApi } from '../connection/connectStudio';
import { baseName, describeError } from '../jobs/errorSentences';
import { createJobId, finishJob, startJob, type JobStore } from '../jobs/jobStore';
import { notificationText } from './batchForm';

/** What `runBatch` resolves with (the outcome plus a trial's thumbnails). */
export type BatchRunOutcome = MethodOutput<StudioContract, 'runBatch'>;

/** Kinds of run: the trial on the first items, the whole batch, or the failed part of the last one. */
export type BatchRunMode = 'trial' | 'full' | 'retry';

/** One item's line during and after a run. */
export interface BatchRow {
  readonly input: string;
  readonly name: string;
  /** `skipped`: the item ended without writing anything (no format for its kind, every file already there). */
  readonly status: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';
  /** 0–1 while running. */
  readonly fraction: number;
  readonly stage: string;
  /** Why a row was skipped, e.g. `Skipped — no clip format chosen`. */
  readonly note?: string;
}

/** The batch state the dialog shows. */
export interface BatchRunState {
  readonly isDialogOpen: boolean;
  readonly phase: 'idle' | 'running' | 'finished';
  readonly mode: BatchRunMode | null;
  readonly jobId: string | null;
  readonly isCancelling: boolean;
  readonly rows: readonly BatchRow[];
  /** Overall progress, 0–1, with the engine's estimate of the seconds left. */
  readonly fraction: number;
  readonly etaSec?: number;
  /** Items ended so far in this run (failures are listed as they come). */
  readonly ended: readonly BatchItemOutcome[];
  readonly outcome: BatchRunOutcome | null;
  /** The last outcome of a run that wrote into the output folder (what "Retry failed" and the Failed scope use). */
  readonly committed: BatchRunOutcome | null;
  /** The run could not start or broke off (a bad request, a lost connection). */
  readonly error: string | null;
  /** Runs ended so far (files on disk may have changed: the names preview asks again). */
  readonly finishedRuns: number;
}

/** The controller. */
export interface BatchController {
  readonly store: StoreApi<BatchRunState>;
  open(): void;
  close(): void;
  /** Starts a run; resolves when it ended (never rejects). Ignored while one runs. */
  run(request: BatchRequestInput, mode: BatchRunMode): Promise<void>;
  /** Asks the engine to stop the running batch. */
  cancel(): void;
  /** Runs the failed items and formats of the last committed run again. */
  retryFailed(): Promise<void>;
}

/** Shows a desktop notification when the page may; never throws. */
export type Notifier = (title: string, body: string) => void;

/** Options of {@link createBatchController}. */
export interface BatchControllerOptions {
  notify?: Notifier;
  /** Asked at the start of a run, while the click still counts as a user gesture. */
  requestNotificationPermission?: () => void;
  /** Sends the artist's pending hand edits to the engine before a run, so the batch output includes them. */
  flushHandEdits?: () => Promise<void>;
}

const initialState: BatchRunState = { isDialogOpen: false, phase: 'idle', mode: null, jobId: null, isCancelling: false, rows: [], fraction: 0, ended: [], outcome: null, committed: null, error: null, finishedRuns: 0 };

/** The rows a request will show: its file inputs after `only` and `limit`, as `runBatch` selects them. */
export function rowsForRequest(request: Pick<BatchRequestInput, 'inputs' | 'only' | 'limit'>): BatchRow[] {
  const only = request.only ? new Set(request.only) : undefined;
  const selected = request.inputs.filter((input) => !only || only.has(input)).slice(0, request.limit ?? Infinity);
  return selected.map((input) => ({ input, name: baseName(input), status: 'waiting', fraction: 0, stage: '' }));
}

/**
 * Marks waiting rows as running until `concurrency` run: the engine's workers take items in input order, one more
 * each time one ends, so the running items are always the first ones not yet ended.
 */
export function startNext(rows: readonly BatchRow[], concurrency: number): BatchRow[] {
  let free = concurrency - rows.filter((row) => row.status === 'running').length;
  return rows.map((row) => (row.status === 'waiting' && free-- > 0 ? { ...row, status: 'running' } : row));
}

/** A finished item's row: failed, cancelled, done when something was written, else skipped with the reason. */
export function rowResult(item: BatchItemOutcome): Pick<BatchRow, 'status' | 'note'> {
  if (item.failed.length > 0) return { status: 'failed', note: undefined };
  if (item.skipped.some((skip) => skip.reason === cancelledSkipReason)) return { status: 'cancelled', note: undefined };
  if (item.outputs.length > 0) return { status: 'done', note: undefined };
  return { status: 'skipped', note: skippedNote(item) };
}

/** Why an item wrote nothing, in a few words. */
export function skippedNote(item: Pick<BatchItemOutcome, 'kind' | 'skipped'>): string {
  const applicable = item.skipped.filter((skip) => formatAppliesTo(skip.format, item.kind));
  if (applicable.length === 0) return `Skipped — no ${item.kind === 'clip' ? 'clip' : 'still'} format chosen`;
  return `Skipped — ${applicable[0]!.reason.replace(/\.$/, '')}`;
}

/** Creates the controller over the contract client and the jobs bar. */
export function createBatchController(api: StudioApi, jobs: JobStore, options: BatchControllerOptions = {}): BatchController {
  const store = createStore<BatchRunState>()(() => initialState);
  const set = (patch: Partial<BatchRunState>) => store.setState(patch);

  function updateRow(matches: (row: BatchRow, index: number) => boolean, patch: Partial<BatchRow>, fallback?: BatchRow): void {
    const rows = store.getState().rows;
    if (rows.some(matches)) set({ rows: rows.map((row, index) => (matches(row, index) ? { ...row, ...patch } : row)) });
    else if (fallback) set({ rows: [...rows, { ...fallback, ...patch }] });
  }

  async function run(request: BatchRequestInput, mode: BatchRunMode): Promise<void> {
    if (store.getState().phase === 'running') return;
    options.requestNotificationPermission?.();
    const jobId = createJobId();
    const concurrency = Math.max(1, request.concurrency ?? 1);
    set({ phase: 'running', mode, jobId, isCancelling: false, rows: startNext(rowsForRequest(request), concurrency), fraction: 0, etaSec: undefined, ended: [], outcome: null, error: null });
    const progress = api.on('onJobProgress', (report) => {
      if (report.jobId !== jobId) return;
      set({ fraction: report.fraction, etaSec: report.etaSec });
      const index = report.itemIndex;
      const row = index === undefined ? undefined : store.getState().rows[index];
      // Reports come throttled and may trail the item's end: only a row still waiting or running moves.
      if (!row || (row.status !== 'waiting' && row.status !== 'running')) return;
      updateRow((_, rowIndex) => rowIndex === index, { status: 'running', fraction: report.itemFraction ?? 0, stage: report.stage });
    });
    const itemEvents = api.on('onBatchItem', (event) => {
      if (event.jobId !== jobId) return;
      set({ ended: [...store.getState().ended, event.item] });
      updateRow((row) => row.input === event.item.input, { ...rowResult(event.item), fraction: 1, stage: '' }, { input: event.item.input, name: baseName(event.item.input), status: 'done', fraction: 1, stage: '' });
      // The worker that finished takes the next item at once (the engine's progress reports are throttled and may
      // skip a short item altogether).
      if (!store.getState().isCancelling) set({ rows: startNext(store.getState().rows, concurrency) });
    });
    const total = rowsForRequest(request).length;
    startJob(jobs, { jobId, kind: 'export', itemId: 'batch', title: mode === 'trial' ? 'Trying the batch settings' : `Batch export (${total} item${total === 1 ? '' : 's'})`, cancel: () => controller.cancel() });
    try {
      await options.flushHandEdits?.();
      const outcome = await api.runBatch({ ...request, jobId, trial: mode === 'trial' });
      for (const item of outcome.items) updateRow((row) => row.input === item.input, { ...rowResult(item), fraction: 1, stage: '' });
      // Items the cancel never reached stay "waiting" in the data but read as not run.
      if (outcome.cancelled) set({ rows: store.getState().rows.map((row) => (row.status === 'waiting' || row.status === 'running' ? { ...row, status: 'cancelled' } : row)) });
      set({ phase: 'finished', outcome, ended: outcome.items, fraction: outcome.cancelled ? store.getState().fraction : 1, etaSec: undefined, ...(mode === 'trial' ? {} : { committed: outcome }) });
      if (mode !== 'trial') {
        const { title, body } = notificationText(outcome);
        options.notify?.(title, body);
      }
    } catch (error) {
      set({ phase: 'finished', error: describeError(error), rows: store.getState().rows.map((row) => (row.status === 'done' || row.status === 'failed' || row.status === 'skipped' ? row : { ...row, status: 'cancelled' })) });
    } finally {
      progress.dispose();
      itemEvents.dispose();
      finishJob(jobs, jobId);
      set({ isCancelling: false, finishedRuns: store.getState().finishedRuns + 1 });
    }
  }

  const controller: BatchController = {
    store,
    open: () => set({ isDialogOpen: true }),
    close: () => set({ isDialogOpen: false }),
    run,
    cancel() {
      const { jobId, phase } = store.getState();
      if (phase !== 'running' || !jobId) return;
      set({ isCancelling: true });
      api.cancelBatch({ jobId }).catch((error: unknown) => set({ isCancelling: false, error: `Could not cancel the batch: ${describeError(error)}` }));
    },
    async retryFailed() {
      const committed = store.getState().committed;
      const request = committed && retryFailed(committed);
      if (request) await run(request, 'retry');
    },
  };
  return controller;
}

/** A notifier over the web Notification API: shows only when the page is allowed to; otherwise does nothing. */
export function createDesktopNotifier(): Required<Pick<BatchControllerOptions, 'notify' | 'requestNotificationPermission'>> {
  const available = () => typeof Notification !== 'undefined';
  return {
    notify(title, body) {
      try {
        if (available() && Notification.permission === 'granted') new Notification(title, { body });
      } catch {
        // Some shells expose the API but refuse to construct notifications; the summary in the dialog remains.
      }
    },
    requestNotificationPermission() {
      try {
        if (available() && Notification.permission === 'default') void Notification.requestPermission().catch(() => {});
      } catch {
        // As above: harmless where notifications are not supported.
      }
    },
  };
}
