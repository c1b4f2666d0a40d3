import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import type { StillSettings } from '../shared/settings';
import type { Engine } from '../main/engine';
import { cutoutBatch, type CutoutItemResult } from '../main/pipeline/cutoutBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { ProgressBar } from './progressBar';
import { parseSettingsFlags, settingsFlagOptions, settingsFlagsHelp } from './settingsFlags';

export const cutoutUsage = `Usage: matte-studio cutout <files or folders…> --out <dir> [options]
  --out <dir>          folder for the results (<dir>/<name>.png)
${settingsFlagsHelp}
  --premultiplied      write premultiplied colour instead of straight alpha
  --mask-only          write the greyscale matte only
  --json               one JSON object per input on stdout`;

/** Parses `cutout` arguments into inputs, output folder and a validated settings snapshot. */
export function parseCutoutArgs(argv: string[]): { inputs: string[]; outDir: string; settings: StillSettings; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean' }, ...settingsFlagOptions },
  });
  if (positionals.length === 0) throw new UsageError('Give at least one image file or folder to cut out.');
  if (!values.out) throw new UsageError('Say where to write the results with --out <dir>.');
  return { inputs: positionals, outDir: values.out, settings: parseSettingsFlags(values), json: values.json ?? false };
}

/** `matte-studio cutout`: returns the exit code (0 all written, 1 any input failed). */
export async function runCutoutCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { inputs, outDir, settings, json } = parseCutoutArgs(argv);
  const bar = new ProgressBar();
  const started = performance.now();
  const results = await cutoutBatch(engine, {
    inputs,
    outDir,
    settings,
    signal,
    onProgress: (progress) => bar.update(progress),
    onItem: (result) => {
      bar.clear();
      output.out(json ? JSON.stringify(toJsonLine(result)) : describe(result));
    },
  });
  bar.clear();
  const failed = results.filter((result) => !result.ok).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `${results.length - failed} written, ${failed} failed in ${seconds} s → ${outDir}`;
  if (results.length === 0) output.err('No images found in the given inputs.');
  else if (json) output.err(summary);
  else output.out(summary);
  return failed > 0 || results.length === 0 ? 1 : 0;
}

function toJsonLine(result: CutoutItemResult) {
  const { input, output, ok, tier, model, ep, ms, error, notes, fallbackReasons } = result;
  return { input, output, ok, tier, model, ep, ms, notes, fallbackReasons, ...(error ? { error: { code: error.code, message: error.message } } : {}) };
}

function describe(result: CutoutItemResult): string {
  const name = relative(process.cwd(), result.input) || result.input;
  if (!result.ok) return `✗ ${name}: ${result.error?.message} [${result.error?.code}]`;
  const fallback = result.tier !== 1 ? ` (fell back: ${result.fallbackReasons.join('; ')})` : '';
  const notes = result.notes.length ? ` — ${result.notes.join(' ')}` : '';
  return `✓ ${name} → ${result.output}  tier ${result.tier} · ${result.model} · ${result.ep} · ${result.ms} ms${fallback}${notes}`;
}
