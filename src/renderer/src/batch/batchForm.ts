/**
 * The Batch Export dialog's pure logic: which items a scope picks, the format choices, the checks that say what is
 * missing, the request the dialog sends (one settings snapshot for every item), and the sentences it shows.
 */
import { cancelledSkipReason, checkNameTemplate, formatAppliesTo, skipsText, type BatchFormat, type BatchOutcome, type BatchRequestInput, type OverwritePolicy } from '../../../shared/batchTypes';
import type { RefinementSettings } from '../../../shared/settings';
import type { DocumentItem } from '../document/documentStore';
import { baseName } from '../jobs/errorSentences';
import { clipFormatIds, clipOutputFormats, stillFormatIds, stillOutputFormats } from '../../../shared/outputFormats';

/** Which items a batch takes: every open item, the library selection, or the failed ones. */
export const itemScopes = ['all', 'selected', 'failed'] as const;
/** One of {@link itemScopes}. */
export type ItemScope = (typeof itemScopes)[number];

/** What the dialog's form holds. */
export interface BatchForm {
  readonly scope: ItemScope;
  readonly formats: readonly BatchFormat[];
  /** Output folder as typed. */
  readonly outDir: string;
  readonly nameTemplate: string;
  readonly overwrite: OverwritePolicy;
  /** Items matted at once, 1–4. */
  readonly concurrency: number;
}

/** A format choice with its label. */
export interface FormatOption {
  readonly format: BatchFormat;
  readonly label: string;
}

/** Still formats, from the one format table (`matte` also gives clips their grey matte clip). */
export const stillFormatOptions: readonly FormatOption[] = stillFormatIds.map((format) => ({
  format,
  label: format === 'matte' ? `${stillOutputFormats.matte!.label}; clips: ${clipOutputFormats.matte!.label.toLowerCase()}` : stillOutputFormats[format]!.label,
}));

/** Clip formats, from the one format table; `matte` is one choice for both kinds, listed with the stills. */
export const clipFormatOptions: readonly FormatOption[] = clipFormatIds
  .filter((format) => stillOutputFormats[format] === undefined)
  .map((format) => ({ format, label: clipOutputFormats[format]!.label }));

/** Scope labels for the radio buttons. */
export const scopeLabels: Record<ItemScope, string> = { all: 'All items', selected: 'Selected items', failed: 'Failed items' };

/** The items of a scope, in library order. `failedInputs`: paths that failed in the last batch (they count as failed). */
export function itemsInScope(scope: ItemScope, items: readonly DocumentItem[], selection: readonly string[], failedInputs: ReadonlySet<string> = new Set()): DocumentItem[] {
  if (scope === 'all') return [...items];
  if (scope === 'selected') {
    const selected = new Set(selection);
    return items.filter((item) => selected.has(item.id));
  }
  return items.filter((item) => item.status === 'failed' || failedInputs.has(item.path));
}

/** The scope a freshly opened dialog suggests: the selection when several items are selected, else all. */
export function defaultScope(selection: readonly string[]): ItemScope {
  return selection.length > 1 ? 'selected' : 'all';
}

/**
 * What stops the batch from starting, as sentences (empty when it can start): no items, no format, a format list
 * that fits none of the items, no folder, a bad name template.
 */
export function checkBatchForm(form: BatchForm, items: readonly DocumentItem[]): string[] {
  const problems: string[] = [];
  if (items.length === 0) problems.push(form.scope === 'all' ? 'Open some pictures or clips first.' : `There are no ${form.scope} items.`);
  if (form.formats.length === 0) problems.push('Choose at least one format.');
  else if (items.length > 0 && !items.some((item) => form.formats.some((format) => formatAppliesTo(format, item.kind)))) {
    problems.push(items.every((item) => item.kind === 'image') ? 'These items are stills: choose a still format.' : 'None of the chosen formats applies to these items.');
  }
  if (form.outDir.trim() === '') problems.push('Choose an output folder.');
  const templateProblem = checkNameTemplate(form.nameTemplate);
  if (templateProblem) problems.push(templateProblem);
  return problems;
}

/** The settings snapshot every item gets, and where it came from (shown in the dialog). */
export interface SettingsSnapshot {
  readonly refinement: RefinementSettings;
  /** The model picked in the model menu; absent: the best installed one. */
  readonly modelId?: string;
  /** `#rrggbb` behind composite MP4s (the canvas's "On colour" background). */
  readonly background?: string;
}

/** What "Try the first items" runs: a few items, and of clips only their opening frames (a look, not the export). */
export interface BatchTrial {
  readonly items: number;
  readonly clipFrames: number;
}

/** The request the dialog sends; `trial` limits it to a quick look. */
export function buildBatchRequest(form: BatchForm, items: readonly DocumentItem[], settings: SettingsSnapshot, trial?: BatchTrial): BatchRequestInput {
  const needsBackground = form.formats.includes('mp4') && items.some((item) => item.kind === 'clip');
  return {
    inputs: items.map((item) => item.path),
    outDir: form.outDir.trim(),
    formats: [...form.formats],
    nameTemplate: form.nameTemplate,
    overwrite: form.overwrite,
    concurrency: Math.min(4, Math.max(1, Math.round(form.concurrency))),
    settings: { ...(settings.modelId ? { modelId: settings.modelId } : {}), refinement: settings.refinement },
    ...(trial === undefined ? {} : { limit: trial.items, maxFrames: trial.clipFrames }),
    ...(needsBackground && settings.background ? { background: settings.background } : {}),
  };
}

/** Toggles one format in a list, keeping the list's order. */
export function toggleFormat(formats: readonly BatchFormat[], format: BatchFormat): BatchFormat[] {
  return formats.includes(format) ? formats.filter((other) => other !== format) : [...formats, format];
}

/** `about 12 s left`, `about 3 min left`; empty before the engine has an estimate. */
export function etaText(etaSec: number | undefined): string {
  if (etaSec === undefined || !Number.isFinite(etaSec)) return '';
  if (etaSec < 1) return 'almost done';
  if (etaSec < 90) return `about ${Math.round(etaSec)} s left`;
  if (etaSec < 90 * 60) return `about ${Math.round(etaSec / 60)} min left`;
  return `about ${(etaSec / 3600).toFixed(1)} h left`;
}

/** `2.4 s`, `3 min 05 s`. */
export function elapsedText(elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The end-of-run line: `Wrote 4 files · 2 already there · 1 not applicable · 1 failed · 3.2 s` (skips by kind, each
 * only when there is one), prefixed when cancelled.
 */
export function summaryText(outcome: Pick<BatchOutcome, 'written' | 'skipped' | 'failed' | 'cancelled' | 'elapsedMs' | 'items' | 'total'>): string {
  const skips = outcome.items.length > 0 ? skipsText(outcome.items) : outcome.skipped > 0 ? `${outcome.skipped} skipped` : '';
  const parts = [`Wrote ${plural(outcome.written, 'file')}`, skips, `${outcome.failed} failed`, elapsedText(outcome.elapsedMs)];
  const line = parts.filter(Boolean).join(' · ');
  if (!outcome.cancelled) return `Done: ${plural(outcome.total, 'item')}. ${line}`;
  // The item in progress at the cancel is listed too, with its unwritten formats skipped: it did not finish.
  const stopped = outcome.items.filter((item) => item.skipped.some((skip) => skip.reason === cancelledSkipReason) && item.outputs.length === 0).length;
  return `Cancelled after ${outcome.items.length - stopped} of ${plural(outcome.total, 'item')}. ${line}`;
}

/** One failure for the list: the item's file name, the format (absent: the whole item) and the reason. */
export interface FailureLine {
  readonly input: string;
  readonly name: string;
  readonly format?: BatchFormat;
  readonly message: string;
}

/** The failures of some item outcomes, one line each. */
export function failureLines(items: readonly BatchOutcome['items'][number][]): FailureLine[] {
  return items.flatMap((item) => item.failed.map((failure) => ({ input: item.input, name: baseName(item.input), ...(failure.format ? { format: failure.format } : {}), message: failure.error.message })));
}

/** The desktop notification's text at the end of a run. */
export function notificationText(outcome: Pick<BatchOutcome, 'written' | 'failed' | 'cancelled' | 'total'>): { title: string; body: string } {
  const title = outcome.cancelled ? 'Batch export cancelled' : outcome.failed > 0 ? 'Batch export finished with failures' : 'Batch export finished';
  return { title, body: `${plural(outcome.written, 'file')} written from ${plural(outcome.total, 'item')}${outcome.failed > 0 ? `, ${outcome.failed} failed` : ''}.` };
}
