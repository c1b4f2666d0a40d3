/**
 * The engine side of the batch requests (`shared/contract/batchMethods.ts`): runs `runBatch` as a job whose progress
 * and finished items go to the caller as events, cancels it by job id (so the call still resolves with the partial
 * outcome), previews output names, and gives a trial run's outputs thumbnails through the item registry (the media
 * router serves only opened files, so the trial's outputs are opened like any picture).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseBatchRequest, type BatchOutcome } from '../../shared/batchTypes';
import type { BatchOutputPreview, batchMethods } from '../../shared/contract/batchMethods';
import type { StudioContract } from '../../shared/contract/studioContract';
import { StudioError } from '../../shared/errors';
import type { ContractHandlers } from '../../shared/rpc/defineContract';
import { planBatch } from '../pipeline/batch/planBatch';
import { runBatch, type RunBatchOptions } from '../pipeline/batch/runBatch';
import type { Engine } from '../engine';
import type { WriteScope } from '../files/writeScope';
import type { ItemRegistry } from './itemRegistry';
import { requireFullFolderPath } from '../files/fullPath';

/** The handlers of the batch methods. */
export type BatchHandlers = Pick<ContractHandlers<StudioContract>, keyof typeof batchMethods>;

/** Options of {@link createBatchHandlers}. */
export interface BatchHandlersOptions {
  /** Where trial runs write (each in a fresh `matte-studio-trial-*` folder). @default os.tmpdir() */
  trialRoot?: string;
  /** The hand edits and cached mattes of an opened file, so batch output includes the artist's work. */
  sourceFor?: RunBatchOptions['sourceFor'];
  /**
   * Where batches may write (`files/writeScope.ts`; strict in Electron): a request's output folder outside it is
   * refused with `OUTPUT_UNWRITABLE` before anything is written. Trial runs write into the engine's own temporary
   * folder and are not checked. @default no check
   */
  writeScope?: Pick<WriteScope, 'assertWritableAsync'>;
}

/** The batch handlers and their clean-up. */
export interface BatchService {
  readonly handlers: BatchHandlers;
  /** Job ids of the batches running now. */
  runningJobIds(): string[];
  /** Stops every running batch and removes the trial folders. */
  dispose(): Promise<void>;
}

const clampFraction = (value: number | undefined) => (value === undefined ? undefined : Math.min(1, Math.max(0, value)));

/** Builds the batch handlers over an engine and the studio's item registry. */
export function createBatchHandlers(engine: Engine, items: ItemRegistry, options: BatchHandlersOptions = {}): BatchService {
  const lifetime = new AbortController();
  const running = new Map<string, AbortController>();
  /** Trial folders made so far, and those a running trial still writes to. */
  const trialFolders = new Set<string>();
  const busyTrialFolders = new Set<string>();

  async function freshTrialFolder(): Promise<string> {
    for (const folder of [...trialFolders]) {
      if (busyTrialFolders.has(folder)) continue;
      trialFolders.delete(folder);
      await rm(folder, { recursive: true, force: true });
    }
    const folder = await mkdtemp(join(options.trialRoot ?? tmpdir(), 'matte-studio-trial-'));
    trialFolders.add(folder);
    return folder;
  }

  /** Opens the written files (not png-sequence folders) so the media router serves their thumbnails. */
  async function previewsOf(outcome: BatchOutcome): Promise<BatchOutputPreview[]> {
    const outputs = outcome.items.flatMap((item) => item.outputs).filter((output) => output.format !== 'png-sequence');
    if (outputs.length === 0) return [];
    const opened = await items.open(outputs.map((output) => output.path));
    const urls = new Map(opened.items.map((info) => [info.path, info.thumbnailUrl]));
    return outputs.flatMap((output) => {
      const thumbnailUrl = urls.get(output.path);
      return thumbnailUrl ? [{ path: output.path, format: output.format, thumbnailUrl }] : [];
    });
  }

  const handlers: BatchHandlers = {
    async runBatch(input, context) {
      const { jobId, trial, ...requestInput } = input;
      if (running.has(jobId)) throw new StudioError('INVALID_INPUT', 'A batch with this job id is already running.');
      // Checked before a trial folder is made, so a bad template fails without touching the disk.
      const request = parseBatchRequest(requestInput);
      if (!trial) requireFullFolderPath(request.outDir);
      const controller = new AbortController();
      running.set(jobId, controller);
      let trialFolder: string | undefined;
      try {
        if (trial) busyTrialFolders.add((trialFolder = await freshTrialFolder()));
        const outcome = await runBatch(engine, { ...request, outDir: trialFolder ?? request.outDir }, {
          signal: AbortSignal.any([context.signal, controller.signal, lifetime.signal]),
          onProgress: (progress) =>
            context.emit('onJobProgress', { ...progress, jobId, fraction: clampFraction(progress.fraction)!, itemFraction: clampFraction(progress.itemFraction), etaSec: progress.etaSec === undefined ? undefined : Math.max(0, progress.etaSec) }),
          onItem: (item) => context.emit('onBatchItem', { jobId, item }),
          sourceFor: options.sourceFor,
          // A trial writes only into the folder made above, never the request's.
          ...(trialFolder ? {} : { writeScope: options.writeScope }),
        });
        return { ...outcome, previews: trialFolder ? await previewsOf(outcome) : [] };
      } finally {
        running.delete(jobId);
        if (trialFolder) busyTrialFolders.delete(trialFolder);
      }
    },

    cancelBatch({ jobId }) {
      const controller = running.get(jobId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    async previewBatchNames(input) {
      const { modelId, ...rest } = input;
      const request = parseBatchRequest({ ...rest, settings: modelId ? { modelId } : {} });
      const model = (await engine.models.pickTiers(modelId)).best?.spec.id ?? 'classical';
      const plan = await planBatch(request, { model, date: new Date() });
      return {
        inputCount: plan.inputCount,
        model,
        items: plan.items.map((item) => ({
          input: item.input,
          kind: item.kind,
          outputs: item.targets.map((target) => ({ format: target.format, name: basename(target.path) })),
          skipped: item.skipped,
        })),
      };
    },
  };

  return {
    handlers,
    runningJobIds: () => [...running.keys()],
    async dispose() {
      lifetime.abort();
      await Promise.all([...trialFolders].map((folder) => rm(folder, { recursive: true, force: true })));
      trialFolders.clear();
    },
  };
}
