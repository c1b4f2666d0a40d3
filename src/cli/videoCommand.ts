import type { BatchItemOutcome } from '../shared/batchTypes';
import { canonicalFormat, clipFormatIds } from '../shared/outputFormats';
import type { Engine } from '../main/engine';
import { runBatch } from '../main/pipeline/batch/runBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { finishPipelineCommand, itemFailure, pipelineReporter, shortPath } from './pipelineOutput';
import { checkBackgroundFlag, checkModelFlag, countFlag, parsePipelineArgs, pipelineRequest } from './pipelineArgs';
import { parseSettingsFlags, settingsFlagsHelp } from './settingsFlags';

export const videoUsage = `Usage: matte-studio video <clips or folders…> --out <dir> --format <format> [options]
  --format <format>    ${clipFormatIds.join(' | ')} (png = png-sequence)
                       prores: ProRes 4444 yuva444p10le .mov · prores-fast: prores_aw · webm/webm-fast: VP9 with alpha
                       png-sequence: PNG sequence folder · matte: greyscale matte <name>_matte.mp4 · mp4: H.264 composite
  --background <bg>    mp4 composite background: #rrggbb or a picture file (default #000000)
  --frames <n>         export only the first n frames
  --overwrite <policy> suffix | skip | overwrite when a result exists (default suffix); an input is never replaced
${settingsFlagsHelp}
  --json               one JSON object per clip on stdout`;

/** `matte-studio video`: the pipeline with clips only and one clip format. 0 when every clip exported and verified. */
export async function runVideoCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { values, positionals, outDir, overwrite, json } = parsePipelineArgs(argv, { format: { type: 'string' }, background: { type: 'string' }, frames: { type: 'string' } }, 'Give at least one clip or folder.');
  const format = canonicalFormat(values.format ?? 'prores', 'clip');
  if (!format) throw new UsageError(`--format must be one of ${clipFormatIds.join(', ')}, not "${values.format}".`);
  const maxFrames = countFlag('--frames', values.frames);
  const request = pipelineRequest({ inputs: positionals, outDir, formats: [format], kinds: ['clip'], settings: parseSettingsFlags(values), background: values.background, maxFrames, overwrite });
  await checkModelFlag(engine, request.settings.modelId);
  await checkBackgroundFlag(values.background);
  const reporter = pipelineReporter(output, json, { json: toJsonLine, text: describe });
  const outcome = await runBatch(engine, request, { signal, onProgress: reporter.onProgress, onItem: reporter.onItem });
  reporter.done();
  const failed = outcome.items.filter((item) => item.failed.length > 0).length;
  const exported = outcome.items.filter((item) => item.outputs.length > 0).length;
  const skipped = outcome.items.length - exported - failed;
  return finishPipelineCommand(outcome, output, json, 'No clips found in the given inputs.', `${exported} exported, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''} → ${request.outDir}`, (item) => item.kind === 'clip');
}

function toJsonLine(item: BatchItemOutcome) {
  const failure = itemFailure(item);
  if (failure || !item.clip || item.outputs.length === 0) {
    return { input: item.input, output: null, ok: false, ms: item.ms, ...(failure ? { error: { code: failure.error.code, message: failure.error.message } } : { skipped: item.skipped[0]?.reason }) };
  }
  const { clip } = item;
  return {
    input: item.input,
    output: item.outputs[0]!.path,
    ok: true,
    frames: clip.frames,
    fps: clip.fps,
    audio: clip.audio,
    alphaVerified: clip.alphaVerified,
    flicker: Number(clip.flicker.toFixed(5)),
    flaggedFrames: clip.flaggedFrames,
    reusedMattes: clip.reusedMattes,
    tier: item.tier,
    model: item.model,
    ep: item.ep,
    fallbackReasons: item.fallbackReasons,
    ms: item.ms,
  };
}

function describe(item: BatchItemOutcome): string {
  const name = shortPath(item.input);
  const failure = itemFailure(item);
  if (failure) return `✗ ${name}: ${failure.error.message} [${failure.error.code}]`;
  if (!item.clip || item.outputs.length === 0) return `- ${name}: skipped (${item.skipped.map((skip) => skip.reason).join(' ')})`;
  const { clip } = item;
  const alpha = clip.alphaVerified === null ? '' : clip.alphaVerified ? ' · alpha verified' : ' · alpha NOT verified';
  const flags = clip.flaggedFrames.length ? ` · ${clip.flaggedFrames.length} frame(s) flagged for review` : '';
  const fallback = item.fallbackReasons.length > 0 ? ` (fell back: ${item.fallbackReasons.join('; ')})` : '';
  return `✓ ${name} → ${item.outputs[0]!.path}  ${clip.frames} ${clip.frames === 1 ? 'frame' : 'frames'} @ ${clip.fps} fps · audio ${clip.audio ? 'kept' : 'none'}${alpha} · tier ${item.tier} ${item.model} (${item.ep})${fallback} · flicker ${clip.flicker.toFixed(4)}${flags} · ${(item.ms / 1000).toFixed(1)} s`;
}
