import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  parseBatchRequest,
  type BatchItemOutcome,
  type BatchOutcome,
  type BatchProgress,
  type BatchRequestInput,
} from '../../shared/batchTypes';
import { isStudioError, toErrorData } from '../../shared/errors';
import { throttleProgress } from '../../shared/jobs';
import type { Engine } from '../engine';
import { outputError } from '../files/atomicWrite';
import { runClipItem } from './clipItem';
import type { ItemContext } from './itemContext';
import { planBatch, type PlannedItem } from './planBatch';
import { runStillItem } from './stillItem';

export { retryFailed } from '../../shared/batchTypes';

/** Options for {@link runBatch}. */
export interface RunBatchOptions {
  /** Stops the batch at once; it still resolves, with `cancelled: true` and what was written. */
  signal?: AbortSignal;
  /** Overall and per-item progress with an ETA, throttled. */
  onProgress?: (progress: BatchProgress) => void;
  /** Called as each item ends (in completion order when `concurrency` > 1), including one stopped by a cancel. */
  onItem?: (item: BatchItemOutcome) => void;
  /** Shortest time between progress reports, ms. @default 100 (≤ 10 a second) */
  progressIntervalMs?: number;
  /** The `{date}` of the names. @default now */
  date?: Date;
}

/**
 * Runs a batch export: every selected still is decoded and matted once and written in each still format; every clip
 * is exported in each clip format; formats that do not apply to an item are listed as skipped. One settings snapshot
 * and one model choice serve every item. A bad item fails alone with a typed error, a failing format alone for its
 * item. Every output is written under a temporary name and renamed when complete, so a cancel leaves no partial file.
 * @throws StudioError `INVALID_INPUT` for a malformed request (e.g. an unknown name-template token).
 */
export async function runBatch(engine: Engine, requestInput: BatchRequestInput, options: RunBatchOptions = {}): Promise<BatchOutcome> {
  const started = performance.now();
  const { signal } = options;
  const request = parseBatchRequest(requestInput);
  const outDir = resolve(request.outDir);
  const folderError = await mkdir(outDir, { recursive: true }).then(
    () => undefined,
    (error: unknown) => outputError(error, outDir).toData(),
  );
  const candidates = await engine.models.pickTiers(request.settings.modelId);
  const plan = await planBatch(request, { model: candidates.best?.spec.id ?? 'classical', date: options.date ?? new Date() });
  const total = plan.items.length;
  const progress = trackProgress(total, request.concurrency, options);

  const results: Array<BatchItemOutcome | undefined> = [];
  let wasCancelled = false;
  let next = 0;
  const runItem = async (position: number): Promise<BatchItemOutcome> => {
    const item = plan.items[position]!;
    const itemStarted = performance.now();
    const result: BatchItemOutcome = { input: item.input, kind: item.kind, outputs: [], skipped: [...item.skipped], failed: [], tier: null, model: null, ms: 0, notes: [] };
    const context: ItemContext = { engine, request, candidates, signal, report: (stage, fraction) => progress.item(position, basename(item.input), stage, fraction) };
    try {
      if (folderError) result.failed.push({ error: folderError });
      else if (item.targets.length > 0) await (item.kind === 'clip' ? runClipItem : runStillItem)(item, result, context);
    } catch (error) {
      if (isStudioError(error, 'CANCELLED') || signal?.aborted) {
        wasCancelled = true;
        skipUnwritten(item, result);
      } else {
        result.failed.push({ error: toErrorData(error) });
      }
    }
    result.ms = Math.round(performance.now() - itemStarted);
    progress.finished(position, result.ms);
    return result;
  };
  const worker = async (): Promise<void> => {
    while (next < total && !signal?.aborted) {
      const position = next++;
      const result = await runItem(position);
      results[position] = result;
      options.onItem?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency, Math.max(total, 1)) }, worker));

  const items = results.filter((item): item is BatchItemOutcome => item !== undefined);
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
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Lists the planned formats the cancel stopped (neither written nor failed) as skipped. */
function skipUnwritten(item: PlannedItem, result: BatchItemOutcome): void {
  const settled = new Set([...result.outputs, ...result.failed].map((entry) => entry.format));
  for (const target of item.targets) if (!settled.has(target.format)) result.skipped.push({ format: target.format, reason: 'The batch was cancelled.' });
}

/**
 * Overall progress: finished items count whole, items in progress by their own fraction. The ETA divides the work
 * left by the throughput so far (items finished per second of wall time per worker).
 */
function trackProgress(total: number, concurrency: number, options: RunBatchOptions) {
  const listener = options.onProgress;
  const send = throttleProgress(listener && ((progress) => listener(progress as BatchProgress)), options.progressIntervalMs ?? 100);
  const inProgress = new Map<number, number>();
  let finishedCount = 0;
  let finishedMs = 0;
  const overall = () => (total === 0 ? 1 : (finishedCount + [...inProgress.values()].reduce((sum, value) => sum + value, 0)) / total);
  const eta = (fraction: number) => (finishedCount === 0 ? undefined : Math.round(((finishedMs / finishedCount) * (1 - fraction) * total) / Math.min(concurrency, total) / 1000));
  return {
    item(position: number, name: string, stage: string, itemFraction: number) {
      inProgress.set(position, Math.min(1, Math.max(0, itemFraction)));
      const fraction = Math.min(overall(), 0.999);
      const progress: BatchProgress = { stage, fraction, item: name, itemIndex: position, itemCount: total, itemFraction, etaSec: eta(fraction) };
      send(progress);
    },
    finished(position: number, ms: number) {
      inProgress.delete(position);
      finishedCount++;
      finishedMs += ms;
    },
    end(cancelled: boolean) {
      const progress: BatchProgress = cancelled ? { stage: 'cancelled', fraction: overall(), itemCount: total } : { stage: 'done', fraction: 1, itemCount: total, etaSec: 0 };
      // A cancel is the last word even inside the throttle window.
      if (cancelled) listener?.(progress);
      else send(progress);
    },
  };
}
