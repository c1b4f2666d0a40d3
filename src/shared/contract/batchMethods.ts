/**
 * The batch export's part of the studio contract (spread into `studioContract`): run a batch as a job, cancel it,
 * and preview the output names. Progress travels as `onJobProgress` with the batch's jobId (plus the batch fields of
 * {@link batchProgressFields}), every finished item as `onBatchItem`, so the dialog can list failures during the run.
 *
 * Cancel is its own request, not the call's abort: the RPC client rejects an aborted call at once with `CANCELLED`
 * and drops the late reply, but a cancelled batch must still deliver its partial outcome (what was written, what
 * failed). `cancelBatch` aborts the running batch on the engine's side and `runBatch` then resolves with
 * `cancelled: true`. Aborting the `runBatch` call itself (or closing the connection) also stops the batch, for
 * callers that do not need the outcome.
 */
import { z } from 'zod';
import { batchFormats, batchItemKinds, batchItemOutcomeSchema, batchOutcomeSchema, batchRequestSchema, overwritePolicies } from '../batchTypes';

/** Items the names preview shows at most. */
export const maximumNamePreviewItems = 20;

/** Batch fields of an `onJobProgress` report (absent for other jobs); see `BatchProgress`. */
export const batchProgressFields = {
  /** 0-based position of the reporting item among the selected items. */
  itemIndex: z.number().int().min(0).optional(),
  /** Selected items. */
  itemCount: z.number().int().min(0).optional(),
  /** How far the reporting item is, 0–1. */
  itemFraction: z.number().min(0).max(1).optional(),
  /** Seconds left; absent until one item has finished. */
  etaSec: z.number().min(0).optional(),
};

/** A written output of a trial run with a small JPEG of it (media path, `thumbnailPath`). */
export const batchOutputPreviewSchema = z.object({ path: z.string(), format: z.enum(batchFormats), thumbnailUrl: z.string() });
/** Parsed {@link batchOutputPreviewSchema}. */
export type BatchOutputPreview = z.output<typeof batchOutputPreviewSchema>;

/** One item of the names preview: the output file names it would get, and the formats it would not. */
export const batchNamePreviewItemSchema = z.object({
  input: z.string(),
  kind: z.enum(batchItemKinds),
  outputs: z.array(z.object({ format: z.enum(batchFormats), name: z.string() })),
  skipped: z.array(z.object({ format: z.enum(batchFormats), reason: z.string() })),
});
/** Parsed {@link batchNamePreviewItemSchema}. */
export type BatchNamePreviewItem = z.output<typeof batchNamePreviewItemSchema>;

/** The batch requests. */
export const batchMethods = {
  /**
   * Runs a batch export as job `jobId`; resolves with the outcome, also after `cancelBatch` (`cancelled: true`).
   * `trial`: "Try the first items": the outputs go to a fresh temporary folder instead of `outDir` (nothing is
   * committed to the user's folder; the previous trial's folder is removed), and `previews` carries a thumbnail of
   * each written still or clip file (empty otherwise).
   */
  runBatch: {
    // The wire checks shapes; the handler's `parseBatchRequest` then answers bad values with a plain sentence (an
    // empty format list, an unknown template token) rather than the RPC layer's generic "input is not valid".
    input: batchRequestSchema.extend({
      inputs: z.array(z.string()),
      outDir: z.string(),
      formats: z.array(z.enum(batchFormats)),
      nameTemplate: z.string().max(1000).default('{name}'),
      jobId: z.string().min(1).max(200),
      trial: z.boolean().default(false),
    }),
    output: batchOutcomeSchema.extend({ previews: z.array(batchOutputPreviewSchema) }),
  },
  /** Stops the running batch `jobId` (its `runBatch` resolves with what was written); false when none runs. */
  cancelBatch: {
    input: z.object({ jobId: z.string().min(1).max(200) }),
    output: z.object({ cancelled: z.boolean() }),
  },
  /**
   * The output names the first `limit` items of a batch would get, exactly as `runBatch` names them (template,
   * `{model}`, same-extension variants, the overwrite policy against the files already in `outDir`).
   * @throws `INVALID_INPUT` with a plain sentence for a bad template or format list.
   */
  previewBatchNames: {
    input: z.object({
      inputs: z.array(z.string().min(1)).min(1),
      outDir: z.string().min(1),
      formats: z.array(z.enum(batchFormats)),
      nameTemplate: z.string(),
      overwrite: z.enum(overwritePolicies),
      modelId: z.string().optional(),
      limit: z.number().int().min(1).max(maximumNamePreviewItems).default(3),
    }),
    output: z.object({ inputCount: z.number().int().min(0), model: z.string(), items: z.array(batchNamePreviewItemSchema) }),
  },
} as const;

/** Batch events (spread into `studioContract.events`). */
export const batchEvents = {
  /** One item of batch `jobId` ended (written, skipped, failed, or stopped by a cancel), in completion order. */
  onBatchItem: z.object({ jobId: z.string(), item: batchItemOutcomeSchema }),
} as const;
