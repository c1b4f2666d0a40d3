import { batchFormats, maxBatchConcurrency, skipsText, type BatchFormat, type BatchItemOutcome, type BatchRequest } from '../shared/batchTypes';
import type { Engine } from '../main/engine';
import { runBatch } from '../main/pipeline/batch/runBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { finishPipelineCommand, pipelineReporter, shortPath } from './pipelineOutput';
import { checkBackgroundFlag, checkModelFlag, countFlag, parsePipelineArgs, pipelineRequest } from './pipelineArgs';
import { parseSettingsFlags, settingsFlagsHelp } from './settingsFlags';

export const batchUsage = `Usage: matte-studio batch <files or folders…> --out <dir> --formats <list> [options]
  --formats <list>     comma-separated: stills png, png-premultiplied, webp, matte;
                       clips prores, prores-fast, webm, webm-fast, mp4, matte, png-sequence
  --name <template>    output name without extension: {name} {index} {model} {date} {format} (default {name})
  --overwrite <policy> skip | overwrite | suffix: what to do when an output exists (default suffix: add -2, -3…)
  --concurrency <n>    items at a time, 1–4 (default 1)
  --limit <n>          only the first n items (try the settings first)
  --frames <n>         clips: only the first n frames
  --background <bg>    mp4 composites: #rrggbb or a picture file (default #000000)
${settingsFlagsHelp}
  --json               one JSON object per item on stdout`;

/** Parses `batch` arguments into a validated request. @throws UsageError with a plain message. */
export function parseBatchArgs(argv: string[]): { request: BatchRequest; json: boolean } {
  const { values, positionals, outDir, overwrite, json } = parsePipelineArgs(
    argv,
    { formats: { type: 'string' }, name: { type: 'string' }, concurrency: { type: 'string' }, limit: { type: 'string' }, frames: { type: 'string' }, background: { type: 'string' } },
    'Give at least one file or folder.',
  );
  if (!values.formats) throw new UsageError(`Say which formats to write with --formats, e.g. --formats png,webp (${batchFormats.join(', ')}).`);
  const formats = values.formats.split(',').map((format) => format.trim()).filter(Boolean) as BatchFormat[];
  const unknown = formats.find((format) => !batchFormats.includes(format));
  if (unknown !== undefined) throw new UsageError(`Unknown format "${unknown}" in --formats: choose from ${batchFormats.join(', ')}.`);
  if (values.premultiplied || values['mask-only']) throw new UsageError('In a batch the formats decide: use --formats png-premultiplied or --formats matte.');
  const request = pipelineRequest({
    inputs: positionals,
    outDir,
    formats,
    nameTemplate: values.name,
    overwrite,
    settings: parseSettingsFlags(values),
    concurrency: countFlag('--concurrency', values.concurrency, maxBatchConcurrency),
    limit: countFlag('--limit', values.limit),
    maxFrames: countFlag('--frames', values.frames),
    background: values.background,
  });
  return { request, json };
}

/** `matte-studio batch`: 0 when everything asked for was written (or skipped), 1 when anything failed, 130 on cancel. */
export async function runBatchCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { request, json } = parseBatchArgs(argv);
  await checkModelFlag(engine, request.settings.modelId);
  await checkBackgroundFlag(request.background);
  const reporter = pipelineReporter(output, json, { json: (item) => item, text: describe });
  const outcome = await runBatch(engine, request, { signal, onProgress: reporter.onProgress, onItem: reporter.onItem });
  reporter.done();
  const skips = skipsText(outcome.items, ', ');
  const summary = `${outcome.written} written, ${skips ? `${skips}, ` : ''}${outcome.failed} failed (${outcome.items.length}/${outcome.total} items) in ${(outcome.elapsedMs / 1000).toFixed(1)} s → ${request.outDir}`;
  return finishPipelineCommand(outcome, output, json, 'No images or clips found in the given inputs.', summary);
}

function describe(item: BatchItemOutcome): string {
  const name = shortPath(item.input);
  const whole = item.failed.find((failure) => !failure.format);
  if (whole) return `✗ ${name}: ${whole.error.message} [${whole.error.code}]`;
  const mark = item.failed.length > 0 ? '!' : item.outputs.length > 0 ? '✓' : '-';
  const parts = [`${mark} ${name}`];
  if (item.outputs.length > 0) parts.push(`→ ${item.outputs.map((entry) => shortPath(entry.path)).join(', ')}`);
  if (item.tier !== null) parts.push(` tier ${item.tier} · ${item.model} · ${item.ms} ms`);
  const lines = [parts.join(' ')];
  for (const failure of item.failed) lines.push(`    ✗ ${failure.format}: ${failure.error.message} [${failure.error.code}]`);
  for (const skip of item.skipped) lines.push(`    - ${skip.format} skipped: ${skip.reason}`);
  for (const note of item.notes) lines.push(`    ${note}`);
  return lines.join('\n');
}
