/**
 * The arguments every pipeline command (`cutout`, `video`, `batch`: presets of the one pipeline) shares, parsed and
 * checked in one place, so a flag means the same and a mistake reads the same whichever command it was given to.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { overwritePolicies, parseBatchRequest, type BatchRequest, type BatchRequestInput, type OverwritePolicy } from '../shared/batchTypes';
import { isStudioError } from '../shared/errors';
import type { Engine } from '../main/engine';
import { UsageError } from './cliOutput';
import { settingsFlagOptions } from './settingsFlags';
import { isBackgroundColor, loadBackground } from '../main/pipeline/clips/loadBackground';

/** Flags of every pipeline command: where to write, what to do with an existing result, JSON lines, the settings. */
export const pipelineFlagOptions = {
  out: { type: 'string', short: 'o' },
  overwrite: { type: 'string' },
  json: { type: 'boolean' },
  ...settingsFlagOptions,
} as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type PipelineArgsConfig<Own extends OptionsConfig> = { args: string[]; allowPositionals: true; strict: true; options: typeof pipelineFlagOptions & Own };

/**
 * Parses a pipeline command's arguments: the shared flags plus the command's own, at least one input and `--out`,
 * and a known `--overwrite` policy.
 * @param noInputs The message when no file or folder is given (it names what the command takes).
 * @throws UsageError with a plain message.
 */
export function parsePipelineArgs<const Own extends OptionsConfig>(argv: string[], ownOptions: Own, noInputs: string) {
  const options = { ...pipelineFlagOptions, ...ownOptions };
  const { values, positionals } = parseArgs<PipelineArgsConfig<Own>>({ args: attachNegativeValues(argv, options), allowPositionals: true, strict: true, options });
  // Read through the shared flags' own type: inside this generic function TypeScript cannot resolve `values`' keys.
  const shared = values as { out?: string; overwrite?: string; json?: boolean };
  if (positionals.length === 0) throw new UsageError(noInputs);
  if (!shared.out) throw new UsageError('Say where to write the results with --out <dir>.');
  const overwrite = shared.overwrite as OverwritePolicy | undefined;
  if (overwrite !== undefined && !overwritePolicies.includes(overwrite)) throw new UsageError(`--overwrite must be one of ${overwritePolicies.join(', ')}, not "${overwrite}".`);
  return { values, positionals, outDir: shared.out, overwrite, json: shared.json ?? false };
}

/**
 * `--shift-edge -2` as the value −2: parseArgs alone takes a value that starts with a dash for a flag and refuses it
 * as ambiguous, though moving the edge inwards is what a negative shift means.
 */
export function attachNegativeValues(argv: string[], options: OptionsConfig): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    const next = argv[index + 1];
    if (flag.startsWith('--') && options[flag.slice(2)]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${flag}=${next}`);
      index++;
    } else joined.push(flag);
  }
  return joined;
}

/**
 * A flag that counts something (`--frames`, `--limit`…): a positive whole number, at most `maximum`, or undefined
 * when not given.
 */
export function countFlag(name: string, value: string | undefined, maximum = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1 || number > maximum) {
    throw new UsageError(`${name} needs a ${maximum === Infinity ? 'positive whole number' : `whole number from 1 to ${maximum}`}, not "${value}".`);
  }
  return number;
}

/**
 * Refuses a `--model` that names no model at all (a typo): one known to the catalogue but not installed is left to
 * the pipeline, whose results then say which model ran instead.
 * @throws UsageError naming where the models are listed.
 */
export async function checkModelFlag(engine: Pick<Engine, 'models'>, modelId: string | undefined): Promise<void> {
  if (modelId === undefined || engine.models.findKnownModel(modelId)) return;
  const { installed } = await engine.models.listModels();
  if (installed.some((model) => model.spec.id === modelId)) return;
  throw new UsageError(`There is no model "${modelId}": \`matte-studio models\` lists the installed and known ones (installed: ${installed.map((model) => model.spec.id).join(', ') || 'none'}).`);
}

/**
 * Checks `--background` before any clip is matted: a mistyped colour or a missing picture used to fail each clip's
 * mp4 late (and fail the item's other formats with it), after the model had run.
 * @throws UsageError with the background's own sentence.
 */
export async function checkBackgroundFlag(value: string | undefined): Promise<void> {
  if (value === undefined) return;
  if (value.startsWith('#') && !isBackgroundColor(value)) throw new UsageError(`--background colours are written #rrggbb (for example #00b140), not "${value}".`);
  await loadBackground(value, 16, 16).catch((error: unknown) => {
    if (isStudioError(error)) throw new UsageError(error.message);
    throw error;
  });
}

/** The pipeline's request from a command's flags; the request's own checks come back as usage errors (exit 2). */
export function pipelineRequest(input: BatchRequestInput): BatchRequest {
  try {
    return parseBatchRequest(input);
  } catch (error) {
    if (isStudioError(error, 'INVALID_INPUT')) throw new UsageError(error.message);
    throw error;
  }
}
