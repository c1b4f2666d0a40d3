import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { toErrorData, type ErrorData, isStudioError } from '../../shared/errors';
import { throttleProgress, type JobControl } from '../../shared/jobs';
import type { MatteTier, StillSettings } from '../../shared/settings';
import type { Engine } from '../engine';
import { outputError } from '../files/atomicWrite';
import { expandInputs } from '../library/expandInputs';
import { outputPathsFor } from '../library/outputNames';
import { cutoutFile } from './cutoutStill';

/** The outcome for one input: written, or failed with a typed error. */
export interface CutoutItemResult {
  input: string;
  output: string | null;
  ok: boolean;
  tier: MatteTier | null;
  model: string | null;
  ep: string | null;
  ms: number;
  notes: string[];
  fallbackReasons: string[];
  error?: ErrorData;
}

/** Options for {@link cutoutBatch}. */
export interface CutoutBatchOptions extends JobControl {
  inputs: string[];
  outDir: string;
  settings: StillSettings;
  /** Called after each item, in order. */
  onItem?: (result: CutoutItemResult) => void;
}

/**
 * Cuts out every input (folders expand to their images) into `outDir` with one settings snapshot. A bad input fails
 * alone, with a typed error; the rest of the batch goes on. Cancelling stops before the next item and leaves no partial
 * file (each output is written to a temporary name and renamed when complete).
 */
export async function cutoutBatch(engine: Engine, options: CutoutBatchOptions): Promise<CutoutItemResult[]> {
  const report = throttleProgress(options.onProgress);
  const inputs = await expandInputs(options.inputs);
  const outputs = outputPathsFor(inputs, options.outDir);
  const folderError = await mkdir(options.outDir, { recursive: true }).then(
    () => undefined,
    (error: unknown) => outputError(error, options.outDir).toData(),
  );
  const candidates = await engine.models.pickTiers(options.settings.modelId);
  const results: CutoutItemResult[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index]!;
    const output = outputs[index]!;
    report({ stage: 'matting', fraction: index / inputs.length, item: basename(input) });
    const start = performance.now();
    let result: CutoutItemResult;
    if (folderError) {
      result = failure(input, folderError, 0);
    } else {
      try {
        const cutout = await cutoutFile(input, output, options.settings, candidates, engine.sessions, options.signal);
        result = {
          input, output, ok: true, tier: cutout.tier, model: cutout.model, ep: cutout.ep, ms: Math.round(performance.now() - start),
          notes: cutout.notes, fallbackReasons: cutout.fallbackReasons,
        };
      } catch (error) {
        if (isStudioError(error, 'CANCELLED')) throw error;
        result = failure(input, toErrorData(error), Math.round(performance.now() - start));
      }
    }
    results.push(result);
    options.onItem?.(result);
  }
  report({ stage: 'done', fraction: 1 });
  return results;
}

function failure(input: string, error: ErrorData, ms: number): CutoutItemResult {
  return { input, output: null, ok: false, tier: null, model: null, ep: null, ms, notes: [], fallbackReasons: [], error };
}
