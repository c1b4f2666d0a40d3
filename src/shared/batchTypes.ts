/**
 * The batch export job: what the studio's Batch Export dialog and `matte-studio batch` ask for, what they get back,
 * and the output-name template both of them validate and preview. Validated with zod at every trust boundary.
 */
import { z } from 'zod';
import { StudioError } from './errors';
import type { JobProgress } from './jobs';
import { clipFormatIds, formatSpec, outputFormatIds, stillFormatIds } from './outputFormats';
import { errorDataSchema } from './rpc/messages';
import { defaultStillSettings, stillSettingsSchema } from './settings';

/** Still formats: straight-alpha PNG, premultiplied PNG, lossless WebP with alpha, grey matte PNG (see `outputFormats.ts`). */
export const stillBatchFormats = stillFormatIds;
/** Clip formats (`matte` gives the grey matte video, `mp4` the composite over `background`). */
export const clipBatchFormats = clipFormatIds;
/** Every batch format, in the order outputs are written and names are given out: the one table's ids. */
export const batchFormats = outputFormatIds;
/** One of {@link batchFormats}. */
export type BatchFormat = (typeof batchFormats)[number];

/** Whether `format` applies to a still or a clip. */
export function formatAppliesTo(format: BatchFormat, kind: BatchItemKind): boolean {
  return formatSpec(format, kind) !== undefined;
}

/** What happens when an output name already exists: leave it, replace it, or add `-2`, `-3`… to the new one. */
export const overwritePolicies = ['skip', 'overwrite', 'suffix'] as const;
/** Most items a batch mattes at the same time. */
export const maxBatchConcurrency = 4;
/** One of {@link overwritePolicies}. */
export type OverwritePolicy = (typeof overwritePolicies)[number];

/** Stills and clips. */
export const batchItemKinds = ['image', 'clip'] as const;
/** One of {@link batchItemKinds}. */
export type BatchItemKind = (typeof batchItemKinds)[number];

/** Tokens an output-name template may use. */
export const nameTemplateTokens = ['name', 'index', 'model', 'date', 'format'] as const;
/** One of {@link nameTemplateTokens}. */
export type NameTemplateToken = (typeof nameTemplateTokens)[number];

const tokenPattern = /\{([^{}]*)\}/g;

/**
 * Checks an output-name template. Returns a sentence saying what is wrong, or `undefined` when it is usable.
 * Names stay inside the output folder: no path separators, no `..`, no leading dot, no control characters.
 */
export function checkNameTemplate(template: string): string | undefined {
  const known = nameTemplateTokens.map((token) => `{${token}}`).join(', ');
  if (template.trim() === '') return 'The name template is empty.';
  if (template.length > 200) return 'The name template is longer than 200 characters.';
  if (/[/\\]/.test(template)) return 'The name template cannot contain / or \\: every output goes straight into the output folder.';
  if (template.includes('..')) return 'The name template cannot contain "..".';
  if (template.startsWith('.')) return 'The name template cannot start with a dot (that would make hidden files).';
  if (/[\u0000-\u001f\u007f]/.test(template)) return 'The name template cannot contain control characters.';
  for (const match of template.matchAll(tokenPattern)) {
    if (!(nameTemplateTokens as readonly string[]).includes(match[1]!)) return `The name template uses {${match[1]}}, which is not one of ${known}.`;
  }
  if (/[{}]/.test(template.replace(tokenPattern, ''))) return `The name template has a { or } that does not belong to one of ${known}.`;
  return undefined;
}

/**
 * Fills a checked template. Values lose characters that cannot be in a file name, so a model id never adds a folder;
 * the format's extension is added by the caller.
 */
export function renderNameTemplate(template: string, values: Record<NameTemplateToken, string>): string {
  const clean = (value: string) => value.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_');
  const name = template.replace(tokenPattern, (_, token: NameTemplateToken) => clean(values[token]));
  return name === '' || name === '.' || name === '..' ? 'output' : name;
}

/** The batch request. A folder in `inputs` contributes every image and clip in it, in name order. */
export const batchRequestSchema = z.object({
  /** Files and folders. */
  inputs: z.array(z.string().min(1)).min(1, 'Choose at least one file or folder.'),
  /** Where every output goes (created when missing). */
  outDir: z.string().min(1, 'Choose an output folder.'),
  /** Still formats apply to stills, clip formats to clips; `matte` to both. Kept once each, in {@link batchFormats} order. */
  formats: z
    .array(z.enum(batchFormats))
    .min(1, 'Choose at least one format.')
    .transform((formats) => batchFormats.filter((format) => formats.includes(format))),
  /** Output name without extension. @default '{name}' */
  nameTemplate: z
    .string()
    .default('{name}')
    .superRefine((template, context) => {
      const problem = checkNameTemplate(template);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  /** @default 'suffix' (never replaces a file) */
  overwrite: z.enum(overwritePolicies).default('suffix'),
  /** One snapshot for every item (uniform results). `output.premultiplied` / `maskOnly` are ignored: formats decide. */
  settings: stillSettingsSchema.default(defaultStillSettings()),
  /** Items matted at the same time. With two cores inference already uses both, hence 1. @default 1 */
  concurrency: z.number().int().min(1).max(maxBatchConcurrency).default(1),
  /** Run only these items (absolute or relative paths of files the inputs expand to): "selected", "retry failed". */
  only: z.array(z.string().min(1)).optional(),
  /** Run only the first N items ("Try the first 3 items"); names and `{index}` stay those of the whole batch. */
  limit: z.number().int().positive().optional(),
  /** `mp4` composites: `#rrggbb` or a picture path. @default '#000000' */
  background: z.string().optional(),
  /** Clips: export only the first N frames (previews, tests). */
  maxFrames: z.number().int().positive().optional(),
  /** Which files a folder (or a listed file) contributes: `cutout` takes stills, `video` clips. @default both */
  kinds: z.array(z.enum(batchItemKinds)).min(1).optional(),
});
/** What a caller sends (defaults may be left out). */
export type BatchRequestInput = z.input<typeof batchRequestSchema>;
/** A validated request with defaults filled in. */
export type BatchRequest = z.output<typeof batchRequestSchema>;

/**
 * Validates a request from anywhere (IPC, CLI flags, a saved preset).
 * @throws StudioError `INVALID_INPUT` with a plain sentence, e.g. the name-template problem.
 */
export function parseBatchRequest(input: unknown): BatchRequest {
  const parsed = batchRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String);
  const message =
    field[0] === 'formats' && issue.code === 'invalid_value'
      ? `Unknown format: choose from ${batchFormats.join(', ')}.`
      : issue.code === 'custom' || /^[A-Z]/.test(issue.message)
        ? issue.message
        : `Invalid ${field.join('.') || 'batch request'}: ${issue.message}.`;
  throw new StudioError('INVALID_INPUT', message, parsed.error.message);
}

/** One written output: a file, or a folder for `png-sequence`. */
export const batchOutputSchema = z.object({ format: z.enum(batchFormats), path: z.string() });
/** A format that was not written, and why in plain words (it does not apply, the file exists, the batch stopped). */
export const batchSkipSchema = z.object({ format: z.enum(batchFormats), reason: z.string() });
/** A failure: of one format, or (no `format`) of the whole item, e.g. a file that is not an image. */
export const batchFailureSchema = z.object({ format: z.enum(batchFormats).optional(), error: errorDataSchema });

/** What happened to one input. */
export const batchItemOutcomeSchema = z.object({
  input: z.string(),
  kind: z.enum(batchItemKinds),
  outputs: z.array(batchOutputSchema),
  skipped: z.array(batchSkipSchema),
  failed: z.array(batchFailureSchema),
  /** Tier and model that made the matte; `null` when the item failed before matting. */
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  model: z.string().nullable(),
  /** Wall time of the item, milliseconds. */
  ms: z.number().nonnegative(),
  /** Plain remarks: how the file was read, why a model tier was skipped. */
  notes: z.array(z.string()),
  /** Execution provider that ran the model (`js` for the classical tier). */
  ep: z.string().nullable().default(null),
  /** Stills: true when every alpha format written was read back with exactly the alpha that was written. */
  alphaVerified: z.boolean().nullable().optional(),
  /** Why earlier tiers were skipped (empty when tier 1 made the matte). */
  fallbackReasons: z.array(z.string()).default([]),
  /** Clips: what the matting pass measured. */
  clip: z
    .object({
      frames: z.number().int().nonnegative(),
      /** Exact frame rate as `num/den`. */
      fps: z.string(),
      audio: z.boolean(),
      /** True when every alpha format was decoded back with its alpha; null when no alpha format was written. */
      alphaVerified: z.boolean().nullable(),
      /** Mean alpha change over still pixels between frames (lower is steadier). */
      flicker: z.number().nonnegative(),
      flaggedFrames: z.array(z.object({ frameIndex: z.number().int().nonnegative(), reason: z.string() })),
      /** Frames whose matte came from the cache (or repeated a identical previous frame) instead of the model. */
      reusedMattes: z.number().int().nonnegative(),
    })
    .optional(),
});
/** Parsed {@link batchItemOutcomeSchema}. */
export type BatchItemOutcome = z.output<typeof batchItemOutcomeSchema>;

/** The skip reason of an output a cancel stopped before it was written (the item in progress, formats not reached). */
export const cancelledSkipReason = 'Cancelled before it was written.';
/** The skip reason of an output a full disk stopped before it was written. */
export const diskFullSkipReason = 'The disk is full.';

/**
 * Why outputs were skipped, counted apart: a file kept because it was already there (overwrite policy "skip"), a
 * format that does not apply to the item's kind, an output a cancel or a full disk stopped before it was written.
 */
export function skipCounts(items: readonly Pick<BatchItemOutcome, 'kind' | 'skipped'>[]): { existing: number; notApplicable: number; unwritten: number } {
  const counts = { existing: 0, notApplicable: 0, unwritten: 0 };
  for (const item of items) {
    for (const skip of item.skipped) {
      if (!formatAppliesTo(skip.format, item.kind)) counts.notApplicable++;
      else if (skip.reason === cancelledSkipReason || skip.reason === diskFullSkipReason) counts.unwritten++;
      else counts.existing++;
    }
  }
  return counts;
}

/** The skips in words, each kind only when there is one: `2 already there · 3 not applicable`; '' for none. */
export function skipsText(items: readonly Pick<BatchItemOutcome, 'kind' | 'skipped'>[], separator = ' · '): string {
  const { existing, notApplicable, unwritten } = skipCounts(items);
  return [existing > 0 ? `${existing} already there` : '', notApplicable > 0 ? `${notApplicable} not applicable` : '', unwritten > 0 ? `${unwritten} not written` : '']
    .filter(Boolean)
    .join(separator);
}

/** What a batch wrote and what failed. A cancelled batch resolves with this too (`cancelled: true`). */
export const batchOutcomeSchema = z.object({
  /** The validated request that ran (for "retry failed"). */
  request: batchRequestSchema,
  /** Items that ran (also the one in progress at a cancel), in input order. */
  items: z.array(batchItemOutcomeSchema),
  /** Items the run selected (after `only` and `limit`). */
  total: z.number().int().nonnegative(),
  /** Outputs written. */
  written: z.number().int().nonnegative(),
  /** Formats skipped. */
  skipped: z.number().int().nonnegative(),
  /** Failures: one per failed format, one per failed item. */
  failed: z.number().int().nonnegative(),
  cancelled: z.boolean(),
  /** Why the batch stopped before its end (a full disk), in plain words; absent when it ran to the end or was cancelled. */
  stoppedReason: z.string().optional(),
  /** What the folders given left out, in sentences (links leading outside them, loops, caps). */
  notes: z.array(z.string()).default([]),
  elapsedMs: z.number().nonnegative(),
});
/** Parsed {@link batchOutcomeSchema}. */
export type BatchOutcome = z.output<typeof batchOutcomeSchema>;

/** Batch progress: overall `fraction`, the current `item`, and an estimate of the time left. */
export interface BatchProgress extends JobProgress {
  /** 0-based position of the reporting item among the selected items. */
  itemIndex?: number;
  /** Selected items. */
  itemCount: number;
  /** How far the reporting item is, 0–1. */
  itemFraction?: number;
  /** Seconds left, from the average item time so far; absent until one item has finished. */
  etaSec?: number;
}

/**
 * The request that retries only what failed: the failed items, with the formats that failed for any of them (every
 * requested format for items that failed as a whole). `undefined` when nothing failed.
 */
export function retryFailed(previous: BatchOutcome): BatchRequest | undefined {
  const failedItems = previous.items.filter((item) => item.failed.length > 0);
  if (failedItems.length === 0) return undefined;
  const formats = new Set<BatchFormat>();
  for (const item of failedItems) {
    for (const failure of item.failed) {
      const retried = failure.format ? [failure.format] : previous.request.formats.filter((format) => formatAppliesTo(format, item.kind));
      for (const format of retried) formats.add(format);
    }
  }
  return { ...previous.request, limit: undefined, formats: batchFormats.filter((format) => formats.has(format)), only: failedItems.map((item) => item.input) };
}
