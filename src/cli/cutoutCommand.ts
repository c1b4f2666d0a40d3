import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { stillSettingsSchema, cartoonModes, type StillSettings } from '../shared/settings';
import type { Engine } from '../main/engine';
import { cutoutBatch, type CutoutItemResult } from '../main/pipeline/cutoutBatch';
import { UsageError, type CliOutput } from './cliOutput';
import { ProgressBar } from './progressBar';

export const cutoutUsage = `Usage: matte-studio cutout <files or folders…> --out <dir> [options]
  --out <dir>          folder for the results (<dir>/<name>.png)
  --model <id>         model to use (default: the best installed; see \`matte-studio models\`)
  --radius <px>        refinement radius for foreground colour, 0 turns it off (default 90)
  --spill <0..1>       Lab spill suppression strength (default 1)
  --cartoon <mode>     auto | on | off: outline protection for cartoons and line art (default auto)
  --feather <px> --shift-edge <px> --contrast <0..100> --smooth <px>   global matte refinements
  --premultiplied      write premultiplied colour instead of straight alpha
  --mask-only          write the greyscale matte only
  --json               one JSON object per input on stdout`;

/** Parses `cutout` arguments into inputs, output folder and a validated settings snapshot. */
export function parseCutoutArgs(argv: string[]): { inputs: string[]; outDir: string; settings: StillSettings; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      model: { type: 'string' },
      radius: { type: 'string' },
      spill: { type: 'string' },
      cartoon: { type: 'string' },
      feather: { type: 'string' },
      'shift-edge': { type: 'string' },
      contrast: { type: 'string' },
      smooth: { type: 'string' },
      premultiplied: { type: 'boolean' },
      'mask-only': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new UsageError('Give at least one image file or folder to cut out.');
  if (!values.out) throw new UsageError('Say where to write the results with --out <dir>.');
  if (values.cartoon !== undefined && !(cartoonModes as readonly string[]).includes(values.cartoon)) {
    throw new UsageError(`--cartoon must be one of ${cartoonModes.join(', ')}, not "${values.cartoon}".`);
  }
  const parsed = stillSettingsSchema.safeParse({
    modelId: values.model,
    refinement: {
      radiusPx: numberFlag('--radius', values.radius),
      spillStrength: numberFlag('--spill', values.spill),
      cartoonMode: values.cartoon,
      featherPx: numberFlag('--feather', values.feather),
      shiftEdgePx: numberFlag('--shift-edge', values['shift-edge']),
      contrast: numberFlag('--contrast', values.contrast),
      smoothPx: numberFlag('--smooth', values.smooth),
    },
    output: { premultiplied: values.premultiplied ?? false, maskOnly: values['mask-only'] ?? false },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`Invalid value for ${issue.path.join('.')}: ${issue.message}.`);
  }
  return { inputs: positionals, outDir: values.out, settings: parsed.data, json: values.json ?? false };
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${name} needs a number, not "${value}".`);
  return number;
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
