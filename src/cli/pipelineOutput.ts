import { relative } from 'node:path';
import type { BatchItemOutcome, BatchOutcome } from '../shared/batchTypes';
import type { BatchProgress } from '../shared/batchTypes';
import type { CliOutput } from './cliOutput';
import { ProgressBar } from './progressBar';

/** How a preset prints one finished item: a line for people, or one JSON object. */
export type ItemPrinter = { json: (item: BatchItemOutcome) => unknown; text: (item: BatchItemOutcome) => string };

/** The progress bar and per-item lines every pipeline command shows. */
export function pipelineReporter(output: CliOutput, json: boolean, printer: ItemPrinter) {
  const bar = new ProgressBar();
  return {
    onProgress: (progress: BatchProgress) => bar.update({ ...progress, item: progress.etaSec === undefined ? progress.item : `${progress.item ?? ''} · ${formatEta(progress.etaSec)} left` }),
    onItem: (item: BatchItemOutcome) => {
      bar.clear();
      output.out(json ? JSON.stringify(printer.json(item)) : printer.text(item));
    },
    done: () => bar.clear(),
  };
}

/**
 * The exit code of a pipeline command: 130 when cancelled, 1 when anything failed, the disk filled or nothing was
 * found, else 0. Prints the summary (and why the run stopped early).
 */
export function finishPipelineCommand(outcome: BatchOutcome, output: CliOutput, json: boolean, nothingFound: string, summary: string, isOwnKind?: (item: BatchItemOutcome) => boolean): number {
  // `video photo.png` (or `cutout clip.mp4`) found nothing it could work on: that is no success.
  for (const note of outcome.notes) output.err(note);
  const foundNothing = outcome.total === 0 || (!outcome.cancelled && isOwnKind !== undefined && !outcome.items.some(isOwnKind));
  if (foundNothing) output.err(nothingFound);
  else (json ? output.err : output.out)(summary);
  if (outcome.stoppedReason) output.err(outcome.stoppedReason);
  if (outcome.cancelled) {
    output.err('Cancelled.');
    return 130;
  }
  return outcome.failed > 0 || foundNothing || outcome.stoppedReason ? 1 : 0;
}

/** A path as the user typed it, relative to the working folder where shorter. */
export function shortPath(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** The item-level failure (the file could not be read at all), if any. */
export function itemFailure(item: BatchItemOutcome) {
  return item.failed.find((failure) => !failure.format) ?? (item.outputs.length === 0 ? item.failed[0] : undefined);
}

function formatEta(seconds: number): string {
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
