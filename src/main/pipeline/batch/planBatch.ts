import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  formatAppliesTo,
  renderNameTemplate,
  type BatchFormat,
  type BatchItemKind,
  type BatchRequest,
} from '../../../shared/batchTypes';
import { formatSpec, outputFileName } from '../../../shared/outputFormats';
import { expandInputsReport, mediaKindOf } from '../../library/expandInputs';

/** One output to write. */
export interface PlannedTarget {
  format: BatchFormat;
  /** Absolute final path: a file, or a folder for `png-sequence`. */
  path: string;
}

/** One selected input, its outputs, and the formats it will not get. */
export interface PlannedItem {
  input: string;
  kind: BatchItemKind;
  /** 1-based position in the whole expanded input list (stable across `limit`, `only` and retries). */
  index: number;
  targets: PlannedTarget[];
  skipped: Array<{ format: BatchFormat; reason: string }>;
}

/** Everything a batch will do, known before any pixel is read (so a dialog can preview the names). */
export interface BatchPlan {
  items: PlannedItem[];
  /** Inputs before `only` and `limit`. */
  inputCount: number;
  /** What the folders given left out, in sentences (links leading outside, loops, depth and entry caps). */
  notes: string[];
}

/** What the names depend on besides the request. */
export interface PlanContext {
  /** `{model}`: the model the batch runs with (`classical` when none is installed). */
  model: string;
  /** `{date}`, local time. */
  date: Date;
}

/** Extension (with the dot) of `format` for a still or clip; `''` for the `png-sequence` folder. */
export function extensionFor(format: BatchFormat, kind: BatchItemKind): string {
  return formatSpec(format, kind)?.extension ?? '';
}

/**
 * Expands the inputs (folders give their images and clips), selects `only` / the first `limit`, and gives every
 * output its final path: the template, then `_<format>` when another format of the item has the same extension and the
 * template has no `{format}`, then the extension. Names never collide within the run (a later item gets `-2`, `-3`…,
 * the same for all its formats), never replace an input, and follow the overwrite policy for files already there:
 * `suffix` picks the first free `-n`, `skip` skips the format, `overwrite` replaces the file when written.
 * An output folder inside an input folder (`cutout photos --out photos/out`) is not walked: what earlier runs wrote
 * there is never taken for input. Files named one by one are kept wherever they are.
 */
export async function planBatch(request: BatchRequest, context: PlanContext): Promise<BatchPlan> {
  const outDir = resolve(request.outDir);
  const expanded = await expandInputsReport(request.inputs, { kinds: request.kinds ?? ['image', 'clip'], visitedFolders: await foldersNotToWalk(request.inputs, outDir) });
  const inputs = expanded.files;
  const indexWidth = String(inputs.length).length;
  let selected = inputs.map((input, position) => ({ input, index: position + 1 }));
  if (request.only) {
    const wanted = new Set(request.only.map((path) => resolve(path)));
    selected = selected.filter((entry) => wanted.has(entry.input));
  }
  if (request.limit !== undefined) selected = selected.slice(0, request.limit);

  const used = new Set(inputs.filter((input) => dirname(input) === outDir).map((input) => basename(input).toLowerCase()));
  const inputIdentities = await identitiesOf(inputs);
  const date = formatDate(context.date);
  const items: PlannedItem[] = [];
  for (const { input, index } of selected) {
    const kind: BatchItemKind = mediaKindOf(input) === 'clip' ? 'clip' : 'image';
    const formats = request.formats.filter((format) => formatAppliesTo(format, kind));
    const skipped = request.formats.filter((format) => !formatAppliesTo(format, kind)).map((format) => ({ format, reason: notApplicable(format, kind) }));
    const values = { name: basename(input, extname(input)) || 'image', index: String(index).padStart(indexWidth, '0'), model: context.model, date };
    const nameFor = (format: BatchFormat, counter: number): string =>
      outputFileName(renderNameTemplate(request.nameTemplate, { ...values, format }), format, kind, formats, { templateHasFormat: request.nameTemplate.includes('{format}'), counter });
    let counter = 1;
    let names: string[] = [];
    for (; ; counter++) {
      names = formats.map((format) => nameFor(format, counter));
      if (names.some((name) => used.has(name.toLowerCase()))) continue;
      // Whatever the policy, an output never replaces an input (also through a link or another name for the same file).
      if (await anyIsInput(names.map((name) => join(outDir, name)), inputIdentities)) continue;
      if (request.overwrite === 'suffix' && (await anyExists(names.map((name) => join(outDir, name))))) continue;
      break;
    }
    for (const name of names) used.add(name.toLowerCase());
    const targets: PlannedTarget[] = [];
    for (const [position, format] of formats.entries()) {
      const path = join(outDir, names[position]!);
      if (request.overwrite === 'skip' && (await exists(path))) skipped.push({ format, reason: `${names[position]} already exists.` });
      else targets.push({ format, path });
    }
    items.push({ input, kind, index, targets, skipped });
  }
  return { items, inputCount: inputs.length, notes: expanded.skipped.map((skipped) => skipped.message) };
}

/**
 * The output folder, as a folder the walk counts as already entered, unless it is itself one of the inputs (`cutout
 * photos --out photos` keeps meaning every picture in photos). A folder that does not exist yet holds nothing to skip.
 */
async function foldersNotToWalk(inputs: readonly string[], outDir: string): Promise<Set<string>> {
  const realOutDir = await realpath(outDir).catch(() => undefined);
  if (realOutDir === undefined) return new Set();
  const realInputs = await Promise.all(inputs.map((input) => realpath(resolve(input)).catch(() => resolve(input))));
  return realInputs.includes(realOutDir) ? new Set() : new Set([realOutDir]);
}

function notApplicable(format: BatchFormat, kind: BatchItemKind): string {
  if (kind === 'clip') return format === 'png' ? 'png is for stills; clips export png-sequence.' : `${format} is for stills, not clips.`;
  return `${format} is for clips, not stills.`;
}

function formatDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** `device:inode` of each input that exists: the same file under another name or through a link has the same one. */
export async function identitiesOf(paths: string[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info) identities.add(`${info.dev}:${info.ino}`);
  }
  return identities;
}

async function anyIsInput(paths: string[], identities: Set<string>): Promise<boolean> {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info && identities.has(`${info.dev}:${info.ino}`)) return true;
  }
  return false;
}

async function anyExists(paths: string[]): Promise<boolean> {
  for (const path of paths) if (await exists(path)) return true;
  return false;
}
