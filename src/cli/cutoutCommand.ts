import type { BatchItemOutcome, BatchRequest } from '../shared/batchTypes';
import type { Engine } from '../main/engine';
import { runBatch } from '../main/pipeline/batch/runBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { finishPipelineCommand, itemFailure, pipelineReporter, shortPath } from './pipelineOutput';
import { checkModelFlag, parsePipelineArgs, pipelineRequest } from './pipelineArgs';
import { parseSettingsFlags, settingsFlagsHelp } from './settingsFlags';

export const cutoutUsage = `Usage: matte-studio cutout <files or folders…> --out <dir> [options]
  --out <dir>          folder for the results (<dir>/<name>.png)
${settingsFlagsHelp}
  --premultiplied      write premultiplied colour instead of straight alpha
  --mask-only          write the greyscale matte only (<name>_matte.png)
  --overwrite <policy> suffix | skip | overwrite when a result exists (default suffix: add -2, -3…); an input is never replaced
  --json               one JSON object per input on stdout`;

/**
 * Parses `cutout` arguments into the pipeline's request: the `batch` job with stills only, one format (straight PNG,
 * premultiplied PNG or the matte) and the name `{name}`.
 */
export function parseCutoutArgs(argv: string[]): { request: BatchRequest; json: boolean } {
  const { values, positionals, outDir, overwrite, json } = parsePipelineArgs(argv, {}, 'Give at least one image file or folder to cut out.');
  if (values.premultiplied && values['mask-only']) throw new UsageError('Choose one of --premultiplied (colour) and --mask-only (the matte alone).');
  const settings = parseSettingsFlags(values);
  const format = settings.output.maskOnly ? 'matte' : settings.output.premultiplied ? 'png-premultiplied' : 'png';
  const request = pipelineRequest({ inputs: positionals, outDir, formats: [format], kinds: ['image'], settings, overwrite });
  return { request, json };
}

/** `matte-studio cutout`: returns the exit code (0 all written, 1 any input failed, 130 cancelled). */
export async function runCutoutCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { request, json } = parseCutoutArgs(argv);
  await checkModelFlag(engine, request.settings.modelId);
  const reporter = pipelineReporter(output, json, { json: toJsonLine, text: describe });
  const outcome = await runBatch(engine, request, { signal, onProgress: reporter.onProgress, onItem: reporter.onItem });
  reporter.done();
  const failedItems = outcome.items.filter((item) => item.failed.length > 0).length;
  const written = outcome.items.filter((item) => item.outputs.length > 0).length;
  const summary = `${written} written, ${failedItems} failed${outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : ''} in ${(outcome.elapsedMs / 1000).toFixed(1)} s → ${request.outDir}`;
  return finishPipelineCommand(outcome, output, json, 'No images found in the given inputs.', summary, (item) => item.kind !== 'clip');
}

function toJsonLine(item: BatchItemOutcome) {
  const failure = itemFailure(item);
  const skip = item.outputs.length === 0 && !failure ? item.skipped[0] : undefined;
  return {
    input: item.input,
    output: item.outputs[0]?.path ?? null,
    ok: item.outputs.length > 0,
    tier: item.tier,
    model: item.model,
    ep: item.ep,
    ms: item.ms,
    notes: item.notes,
    fallbackReasons: item.fallbackReasons,
    ...(failure ? { error: { code: failure.error.code, message: failure.error.message } } : {}),
    ...(skip ? { skipped: skip.reason } : {}),
  };
}

function describe(item: BatchItemOutcome): string {
  const name = shortPath(item.input);
  const failure = itemFailure(item);
  if (failure) return `✗ ${name}: ${failure.error.message} [${failure.error.code}]`;
  if (item.outputs.length === 0) return `- ${name}: skipped (${item.skipped.map((skip) => skip.reason).join(' ')})`;
  const fallback = item.fallbackReasons.length > 0 ? ` (fell back: ${item.fallbackReasons.join('; ')})` : '';
  const notes = item.notes.filter((note) => !note.startsWith('Fell back:'));
  return `✓ ${name} → ${item.outputs[0]!.path}  tier ${item.tier} · ${item.model} · ${item.ep} · ${item.ms} ms${fallback}${notes.length ? ` — ${notes.join(' ')}` : ''}`;
}
