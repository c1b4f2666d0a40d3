import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { isStudioError, toErrorData, type ErrorData } from '../../shared/errors';
import type { JobControl } from '../../shared/jobs';
import type { StillSettings } from '../../shared/settings';
import type { Engine } from '../engine';
import { outputError } from '../files/atomicWrite';
import { expandInputs } from '../library/expandInputs';
import { clipOutputName, type ClipFormat } from './clipFormats';
import { matteClip, type ClipOutcome } from './matteClip';

/** One clip's result: an outcome, or a typed error. */
export type ClipItemResult = { input: string; ok: true; outcome: ClipOutcome; ms: number } | { input: string; ok: false; error: ErrorData; ms: number };

/** Options for {@link clipBatch}. */
export interface ClipBatchOptions extends JobControl {
  inputs: string[];
  outDir: string;
  format: ClipFormat;
  settings: StillSettings;
  background?: string;
  maxFrames?: number;
  onItem?: (result: ClipItemResult) => void;
}

/**
 * Exports every clip (folders expand to their clips) in one format with one settings snapshot. A clip that fails
 * does so alone with a typed error and no partial file; cancelling stops the whole batch.
 */
export async function clipBatch(engine: Engine, options: ClipBatchOptions): Promise<ClipItemResult[]> {
  const inputs = await expandInputs(options.inputs, { kinds: ['clip'] });
  const folderError = await mkdir(options.outDir, { recursive: true }).then(
    () => undefined,
    (error: unknown) => outputError(error, options.outDir),
  );
  const used = new Set<string>();
  const results: ClipItemResult[] = [];
  for (const [index, input] of inputs.entries()) {
    const start = performance.now();
    let stem = basename(input, extname(input));
    for (let counter = 2; used.has(stem); counter++) stem = `${basename(input, extname(input))}-${counter}`;
    used.add(stem);
    let result: ClipItemResult;
    try {
      if (folderError) throw folderError;
      const outcome = await matteClip(engine, {
        input,
        output: join(options.outDir, clipOutputName(stem, options.format)),
        format: options.format,
        settings: options.settings,
        background: options.background,
        maxFrames: options.maxFrames,
        signal: options.signal,
        onProgress: (progress) => options.onProgress?.({ ...progress, fraction: (index + progress.fraction) / inputs.length }),
      });
      result = { input, ok: true, outcome, ms: Math.round(performance.now() - start) };
    } catch (error) {
      if (isStudioError(error, 'CANCELLED')) throw error;
      result = { input, ok: false, error: toErrorData(error), ms: Math.round(performance.now() - start) };
    }
    results.push(result);
    options.onItem?.(result);
  }
  return results;
}
