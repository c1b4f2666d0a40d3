import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../main/engine';
import { formatRational } from '../main/media/probeMedia';
import { clipFormats, type ClipFormat } from '../main/video/clipFormats';
import { clipBatch, type ClipItemResult } from '../main/video/clipBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { ProgressBar } from './progressBar';
import { parseSettingsFlags, settingsFlagOptions, settingsFlagsHelp } from './settingsFlags';

export const videoUsage = `Usage: matte-studio video <clips or folders…> --out <dir> --format <format> [options]
  --format <format>    ${clipFormats.join(' | ')}
                       prores: ProRes 4444 yuva444p10le .mov · prores-fast: prores_aw · webm/webm-fast: VP9 with alpha
                       png: PNG sequence folder · matte: greyscale matte .mp4 · mp4: H.264 composite
  --background <bg>    mp4 composite background: #rrggbb or a picture file (default #000000)
  --frames <n>         export only the first n frames
${settingsFlagsHelp}
  --json               one JSON object per clip on stdout`;

/** `matte-studio video`: returns 0 when every clip exported and verified, 1 otherwise. */
export async function runVideoCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string', short: 'o' }, format: { type: 'string' }, background: { type: 'string' }, frames: { type: 'string' }, json: { type: 'boolean' }, ...settingsFlagOptions },
  });
  if (positionals.length === 0) throw new UsageError('Give at least one clip or folder.');
  if (!values.out) throw new UsageError('Say where to write the results with --out <dir>.');
  const format = (values.format ?? 'prores') as ClipFormat;
  if (!(clipFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${clipFormats.join(', ')}, not "${values.format}".`);
  const maxFrames = values.frames === undefined ? undefined : Number(values.frames);
  if (maxFrames !== undefined && !(Number.isInteger(maxFrames) && maxFrames > 0)) throw new UsageError(`--frames needs a positive whole number, not "${values.frames}".`);
  const bar = new ProgressBar();
  const results = await clipBatch(engine, {
    inputs: positionals,
    outDir: values.out,
    format,
    settings: parseSettingsFlags(values),
    background: values.background,
    maxFrames,
    signal,
    onProgress: (progress) => bar.update(progress),
    onItem: (result) => {
      bar.clear();
      output.out(values.json ? JSON.stringify(toJsonLine(result)) : describe(result));
    },
  });
  bar.clear();
  const failed = results.filter((result) => !result.ok).length;
  if (results.length === 0) output.err('No clips found in the given inputs.');
  else (values.json ? output.err : output.out)(`${results.length - failed} exported, ${failed} failed → ${values.out}`);
  return failed > 0 || results.length === 0 ? 1 : 0;
}

function toJsonLine(result: ClipItemResult) {
  if (!result.ok) return { input: result.input, output: null, ok: false, ms: result.ms, error: { code: result.error.code, message: result.error.message } };
  const { outcome } = result;
  return {
    input: result.input,
    output: outcome.output,
    ok: true,
    frames: outcome.frames,
    fps: formatRational(outcome.fps),
    audio: outcome.audio,
    alphaVerified: outcome.alphaVerified,
    flicker: Number(outcome.flicker.toFixed(5)),
    flaggedFrames: outcome.flaggedFrames,
    tier: outcome.tier,
    model: outcome.model,
    ep: outcome.ep,
    ms: result.ms,
  };
}

function describe(result: ClipItemResult): string {
  const name = relative(process.cwd(), result.input) || result.input;
  if (!result.ok) return `✗ ${name}: ${result.error.message} [${result.error.code}]`;
  const { outcome } = result;
  const alpha = outcome.alphaVerified === null ? '' : outcome.alphaVerified ? ' · alpha verified' : ' · alpha NOT verified';
  const flags = outcome.flaggedFrames.length ? ` · ${outcome.flaggedFrames.length} frame(s) flagged for review` : '';
  return `✓ ${name} → ${outcome.output}  ${outcome.frames} frames @ ${formatRational(outcome.fps)} fps · audio ${outcome.audio ? 'kept' : 'none'}${alpha} · tier ${outcome.tier} ${outcome.model} (${outcome.ep}) · flicker ${outcome.flicker.toFixed(4)}${flags} · ${(result.ms / 1000).toFixed(1)} s`;
}
