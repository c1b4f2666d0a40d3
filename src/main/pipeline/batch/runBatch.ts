/**
 * The export pipeline: every path that writes results (CLI `cutout`, `video` and `batch`, the studio's Export and its
 * Batch Export dialog) runs it. One settings snapshot, one model choice, one format table (`shared/outputFormats.ts`),
 * one naming and overwrite policy (`planBatch.ts`). Stills flow through three overlapping stages — decode, matte,
 * then refine/compose/encode/write — with bounded queues, so the next picture decodes and the last one is refined in
 * the kernel worker while the model works on this one; a clip is one item whose frames overlap the same way inside.
 */
import { basename, resolve } from 'node:path';
import { cancelledSkipReason, diskFullSkipReason, parseBatchRequest, type BatchItemOutcome, type BatchOutcome, type BatchProgress, type BatchRequestInput } from '../../../shared/batchTypes';
import { isStudioError, toErrorData } from '../../../shared/errors';
import type { Engine } from '../../engine';
import { outputFolderError } from '../../files/atomicWrite';
import type { WriteScope } from '../../files/writeScope';
import { mapAsync, prefetch } from '../clips/prefetch';
import type { TieredMatte } from '../computeMatte';
import { runClipItem } from './clipItem';
import type { ItemContext, ItemSource } from './itemContext';
import { planBatch, type PlannedItem } from './planBatch';
import { trackBatchProgress } from './batchProgress';
import { decodeStill, matteStill, writeStill, type DecodedStill } from './stillItem';
import { access, constants } from 'node:fs/promises';
import { makeFolder } from '../../files/makeFolder';

export { retryFailed } from '../../../shared/batchTypes';

/** Options for {@link runBatch}. */
export interface RunBatchOptions {
  /** Stops the batch at once; it still resolves, with `cancelled: true` and what was written. */
  signal?: AbortSignal;
  /** Overall and per-item progress with an ETA, throttled. */
  onProgress?: (progress: BatchProgress) => void;
  /** Called as each item ends, in order, including one stopped by a cancel. */
  onItem?: (item: BatchItemOutcome) => void;
  /** Shortest time between progress reports, ms. @default 100 (≤ 10 a second) */
  progressIntervalMs?: number;
  /** The `{date}` of the names. @default now */
  date?: Date;
  /** The studio's hand edits and cached mattes of an input (absolute path) for the batch's model, in the studio. */
  sourceFor?: (input: string, modelId: string | undefined) => ItemSource | undefined;
  /**
   * Where the caller may write (`files/writeScope.ts`): the output folder and then every planned output are checked
   * before anything is written. The studio's handlers pass the studio's scope (strict in Electron); the CLI passes none.
   */
  writeScope?: Pick<WriteScope, 'assertWritableAsync'>;
}

/** One item on its way through the stages; a failure is carried along, never thrown through the queues. */
interface InFlight {
  position: number;
  item: PlannedItem;
  context: ItemContext;
  result: BatchItemOutcome;
  started: number;
  decoded?: DecodedStill;
  tiered?: TieredMatte;
  error?: unknown;
}

/**
 * Runs the pipeline over a request: every selected still is decoded and matted once and written in each still
 * format; every clip is exported in each clip format from one matting pass; formats that do not apply are listed as
 * skipped. A bad item fails alone with a typed error, a failing format alone for its item; a full disk stops the
 * batch with what was written. Every output is written under a temporary name and renamed when complete, so a cancel
 * leaves no partial file.
 * @throws StudioError `INVALID_INPUT` for a malformed request (e.g. an unknown name-template token),
 *   `OUTPUT_UNWRITABLE` for an output folder outside `writeScope` (nothing is written, not even the folder).
 */
export async function runBatch(engine: Engine, requestInput: BatchRequestInput, options: RunBatchOptions = {}): Promise<BatchOutcome> {
  const started = performance.now();
  const { signal } = options;
  const request = parseBatchRequest(requestInput);
  const outDir = resolve(request.outDir);
  // Before the folder is made: a refused batch leaves no trace.
  await options.writeScope?.assertWritableAsync(outDir);
  // A folder that exists but takes no files (read-only disk, no permission) fails every item now, not after each
  // item's model run.
  const folderError = await makeFolder(outDir)
    .then(() => access(outDir, constants.W_OK))
    .then(
      () => undefined,
      (error: unknown) => outputFolderError(error, outDir).toData(),
    );
  // Every item is refined in the kernel worker: start it now, beside the decoding and the model's session start.
  engine.kernels.prestart();
  const candidates = await engine.models.pickTiers(request.settings.modelId);
  const plan = await planBatch(request, { model: candidates.best?.spec.id ?? 'classical', date: options.date ?? new Date() });
  const refusedOutputs = await outputsOutsideScope(plan.items, options.writeScope);
  const total = plan.items.length;
  const progress = trackBatchProgress(plan.items.map((item) => item.kind), options);

  const enter = async function* (): AsyncGenerator<InFlight> {
    for (const [position, planned] of plan.items.entries()) {
      if (signal?.aborted) return;
      const refused = refusedOutputs.get(planned) ?? [];
      const item = refused.length === 0 ? planned : { ...planned, targets: planned.targets.filter((target) => !refused.some((failure) => failure.format === target.format)) };
      const result: BatchItemOutcome = { input: item.input, kind: item.kind, outputs: [], skipped: [...item.skipped], failed: [...refused], tier: null, model: null, ep: null, fallbackReasons: [], ms: 0, notes: [] };
      const context: ItemContext = { engine, request, candidates, signal, source: options.sourceFor?.(item.input, request.settings.modelId), report: (stage, fraction) => progress.item(position, basename(item.input), stage, fraction), weigh: (frames) => progress.weigh(position, frames) };
      yield { position, item, context, result, started: performance.now(), error: folderError ? { folderError } : undefined };
    }
  };
  const isStillToRun = (entry: InFlight) => entry.item.kind === 'image' && entry.item.targets.length > 0 && entry.error === undefined;
  const decode = async (entry: InFlight): Promise<InFlight> => {
    if (isStillToRun(entry)) await attempt(entry, async () => (entry.decoded = await decodeStill(entry.item, entry.context)));
    return entry;
  };
  const matte = async (entry: InFlight): Promise<InFlight> => {
    if (isStillToRun(entry)) await attempt(entry, async () => (entry.tiered = await matteStill(entry.decoded!, entry.context)));
    return entry;
  };

  const items: BatchItemOutcome[] = [];
  let wasCancelled = false;
  let stoppedReason: string | undefined;
  // Decoding runs up to `concurrency` items ahead, the model one item ahead of the refine/write stage.
  for await (const entry of prefetch(mapAsync(prefetch(mapAsync(enter(), decode), request.concurrency), matte), 1)) {
    if (entry.error === undefined && entry.item.targets.length > 0) {
      await attempt(entry, () => (entry.item.kind === 'clip' ? runClipItem(entry.item, entry.result, entry.context) : writeStill(entry.item, entry.decoded!, entry.tiered!, entry.result, entry.context)));
    }
    settle(entry);
    entry.result.ms = Math.round(performance.now() - entry.started);
    progress.finished(entry.position);
    items.push(entry.result);
    options.onItem?.(entry.result);
    if (wasCancelled || signal?.aborted) {
      wasCancelled = true;
      break;
    }
    if (isStudioError(entry.error, 'DISK_FULL')) {
      stoppedReason = `The disk is full: the batch stopped at ${basename(entry.item.input)}. Everything written before is complete; free some space and retry the failed items.`;
      // The items not reached are listed as failed for the same reason, so "Retry failed" picks them up.
      for (const rest of plan.items.slice(entry.position + 1)) {
        const notWritten = { code: 'DISK_FULL' as const, message: `${basename(rest.input)} was not written: the disk was full.` };
        items.push({ input: rest.input, kind: rest.kind, outputs: [], skipped: [...rest.skipped], failed: rest.targets.length > 0 ? [{ error: notWritten }] : [], tier: null, model: null, ep: null, fallbackReasons: [], ms: 0, notes: [] });
      }
      break;
    }
  }

  function settle(entry: InFlight): void {
    const { error, result, item } = entry;
    if (error === undefined) return;
    if (isStudioError(error, 'CANCELLED') || signal?.aborted) {
      wasCancelled = true;
      skipUnwritten(item, result, cancelledSkipReason);
    } else if (isStudioError(error, 'DISK_FULL')) {
      if (!result.failed.some((failure) => failure.error.code === 'DISK_FULL')) result.failed.push({ error: toErrorData(error) });
      skipUnwritten(item, result, diskFullSkipReason);
    } else {
      result.failed.push({ error: typeof error === 'object' && error !== null && 'folderError' in error ? (error as { folderError: ReturnType<typeof toErrorData> }).folderError : toErrorData(error) });
    }
  }

  const cancelled = wasCancelled || (Boolean(signal?.aborted) && items.length < total);
  progress.end(cancelled);
  return {
    request,
    items,
    total,
    written: items.reduce((sum, item) => sum + item.outputs.length, 0),
    skipped: items.reduce((sum, item) => sum + item.skipped.length, 0),
    failed: items.reduce((sum, item) => sum + item.failed.length, 0),
    cancelled,
    ...(stoppedReason ? { stoppedReason } : {}),
    notes: plan.notes,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * The planned outputs `scope` refuses, per item. The folder passed already; this catches what sits at an output's
 * name, e.g. a link that would lead the write out of the folder.
 */
async function outputsOutsideScope(items: PlannedItem[], scope: RunBatchOptions['writeScope']): Promise<Map<PlannedItem, BatchItemOutcome['failed']>> {
  const refused = new Map<PlannedItem, BatchItemOutcome['failed']>();
  if (!scope) return refused;
  for (const item of items) {
    for (const target of item.targets) {
      const error = await scope.assertWritableAsync(target.path).then(() => undefined, (caught: unknown) => toErrorData(caught));
      if (error) refused.set(item, [...(refused.get(item) ?? []), { format: target.format, error }]);
    }
  }
  return refused;
}

/** Runs one stage of an item, keeping its failure on the item instead of letting it stop the queues. */
async function attempt(entry: InFlight, stage: () => Promise<unknown>): Promise<void> {
  try {
    await stage();
  } catch (error) {
    entry.error = error;
  }
}

/** Lists the planned formats a cancel or a full disk stopped (neither written nor failed) as skipped. */
function skipUnwritten(item: PlannedItem, result: BatchItemOutcome, reason: string): void {
  const settled = new Set([...result.outputs, ...result.failed].map((entry) => entry.format));
  for (const target of item.targets) if (!settled.has(target.format)) result.skipped.push({ format: target.format, reason });
}
