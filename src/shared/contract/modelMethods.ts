/**
 * The Models panel's part of the studio contract (spread into `studioContract`): list every known model with what
 * the panel shows, install one as a job, cancel it, remove one.
 *
 * `installModel` is a job: progress travels as `onJobProgress` with its jobId (stage `download`, the fraction counting
 * bytes already on disk from an earlier attempt). As with batches, cancel is its own request (`cancelModelInstall`):
 * `installModel` then rejects with `CANCELLED` only once the download has stopped and its `.part` file is closed, so a
 * listing asked for after that rejection already offers the resume. Failures are StudioErrors with a sentence a user
 * understands: `MODEL_MISSING` (unknown id), `MODEL_DOWNLOAD_FAILED` (offline, server errors), `CHECKSUM_MISMATCH`
 * (nothing is installed), `DISK_FULL`, `INVALID_INPUT` (not downloadable, already downloading, bundled).
 */
import { z } from 'zod';
import { modelSpecSchema } from '../modelTypes';

/** Where a model stands: its file is present; it can be downloaded; or neither (a bundled model this build lacks). */
export const modelStates = ['installed', 'available', 'unavailable'] as const;

/** One model as the Models panel lists it. */
export const modelEntrySchema = z.object({
  spec: modelSpecSchema,
  state: z.enum(modelStates),
  /** Where the installed file came from; null while not installed. */
  source: z.enum(['bundled', 'downloaded', 'custom']).nullable(),
  /** Bytes on disk when installed, else the download's size (see `isSizeExact`). */
  sizeBytes: z.number().int().nonnegative(),
  /** False where the catalogue only knows an approximate size (shown with a `~`). */
  isSizeExact: z.boolean(),
  /** Bytes a cancelled or broken download left in its `.part` file; the next install resumes from there (0: none). */
  partialBytes: z.number().int().nonnegative(),
  /** Only models the user installed (downloaded or dropped into the model folder) can be removed; bundled ones cannot. */
  canRemove: z.boolean(),
  /** The job installing this model now, from any window; null when none runs. */
  installJobId: z.string().nullable(),
});
/** Parsed {@link modelEntrySchema}. */
export type ModelEntry = z.output<typeof modelEntrySchema>;

const jobIdSchema = z.string().min(1).max(200);
// Any string, not the id pattern: an unknown id is answered with a plain sentence, not the RPC layer's "input is not
// valid". Ids never become paths directly; the engine only uses catalogue and index entries it found by id.
const modelIdInput = z.string().min(1).max(200);

/** The model requests. */
export const modelMethods = {
  /** Every catalogue model plus the user's own, best first, and the folder user models live in. */
  listModels: {
    input: z.object({}),
    output: z.object({ models: z.array(modelEntrySchema), userFolder: z.string() }),
  },
  /**
   * Downloads a catalogue model into the user folder (resuming a `.part` left by an earlier attempt) and checks its
   * sha256 where the catalogue knows it; resolves with its new entry (at once when it is installed already). The next
   * matte that names no model uses the best installed one, this one included.
   */
  installModel: {
    input: z.object({ jobId: jobIdSchema, modelId: modelIdInput }),
    output: z.object({ model: modelEntrySchema }),
  },
  /** Stops the install `jobId`; its `.part` stays for a resume. False when no such install runs. */
  cancelModelInstall: {
    input: z.object({ jobId: jobIdSchema }),
    output: z.object({ cancelled: z.boolean() }),
  },
  /**
   * Removes a model the user installed and any partial download of it; resolves with the bytes freed. Bundled models
   * are refused (`INVALID_INPUT`), as is a model being downloaded (cancel first).
   */
  removeModel: {
    input: z.object({ modelId: modelIdInput }),
    output: z.object({ freedBytes: z.number().int().nonnegative() }),
  },
} as const;
