/**
 * The studio's one contract: every request the renderer makes of the engine and every event the engine sends back.
 * The Electron shell (IPC) and the web shell (loopback WebSocket) carry exactly this; neither side imports the other.
 * Pixels stay off this wire: the `…Url` fields carry media paths (`/media/…`, built by `mediaPaths.ts`) that the
 * renderer turns into URLs of its transport (`app://media/…` in Electron, the loopback host plus `?token=` in the web
 * shell) and fetches.
 */
import { z } from 'zod';
import { modelSpecSchema } from '../modelTypes';
import { defineContract } from '../rpc/defineContract';
import { refinementSettingsSchema } from '../settings';
import { defineProjectMethods } from './projectMethods';
import { batchEvents, batchMethods, batchProgressFields } from './batchMethods';
import { modelMethods } from './modelMethods';

const rationalSchema = z.object({ num: z.number().int().positive(), den: z.number().int().positive() });

/** Stills, clips, and what they are doing. */
export const itemKindSchema = z.enum(['image', 'clip']);
export const itemStatusSchema = z.enum(['pending', 'matting', 'done', 'failed']);

/** One opened picture or clip, as the library shows it. */
export const itemInfoSchema = z.object({
  id: z.string().min(1),
  path: z.string(),
  name: z.string(),
  kind: itemKindSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Clips only. */
  frameCount: z.number().int().positive().optional(),
  fps: rationalSchema.optional(),
  hasAudio: z.boolean().optional(),
  /** Media path of a small JPEG for the library grid (`thumbnailPath(id)`). */
  thumbnailUrl: z.string(),
});
/** Parsed {@link itemInfoSchema}. */
export type ItemInfo = z.output<typeof itemInfoSchema>;

/** A path that could not be opened, with the reason in words. */
export const openFailureSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

/** Which model made a matte. */
export const matteProvenanceSchema = z.object({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  model: z.string(),
  ep: z.string(),
  fallbackReasons: z.array(z.string()),
  /** Why the model ran on a later execution provider than the first one tried (e.g. the GPU's could not start). */
  providerNotes: z.array(z.string()).optional(),
  /** `draft`: made at the model's smaller review size by the background pass; the frame on screen gets `full`. */
  quality: z.enum(['full', 'draft']).optional(),
});
/** Parsed {@link matteProvenanceSchema}. */
export type MatteProvenance = z.output<typeof matteProvenanceSchema>;

/**
 * A rendered preview: fetch its layers from the media paths (raw bytes, row-major, no header; the responses also say
 * `X-Width`, `X-Height`, `X-Channels`). The alpha is the engine's WITHOUT hand edits: the renderer composes the
 * artist's strokes on top itself. Settings are in picture pixels and are scaled to the preview size by the engine.
 */
export const previewSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** `width × height × 4` bytes: straight foreground colour (blur fusion + spill) with the engine's alpha. */
  cutoutUrl: z.string(),
  /** `width × height` bytes: where spill was removed (0–255 heat). */
  spillHeatmapUrl: z.string(),
  isCartoon: z.boolean(),
  provenance: matteProvenanceSchema,
});
/** Parsed {@link previewSchema}. */
export type Preview = z.output<typeof previewSchema>;

/** Still export formats (clips use the clip formats of the engine). */
export const stillExportFormats = ['png', 'png-premultiplied', 'webp', 'matte-png'] as const;
export const clipExportFormats = ['prores', 'prores-fast', 'webm', 'webm-fast', 'png', 'matte', 'mp4'] as const;

/**
 * Hand-edited mask tiles of one frame, base64 planes as the document serialises them (`''` = all zero). The Refine
 * Edge marks (`refineEdge`) are left out where a tile has none, so edits from before the brush read unchanged.
 */
export const maskTilesSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  tileSizePx: z.number().int().positive(),
  tiles: z.array(z.object({ tileX: z.number().int().min(0), tileY: z.number().int().min(0), add: z.string(), remove: z.string(), refineEdge: z.string().optional() })),
});

/** A folder listing for the web shell's file browser (Electron uses native dialogs). */
export const folderListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'image', 'clip', 'other']) })),
  /** True when the folder holds more entries than a listing shows: only the first, in name order, are listed. */
  truncated: z.boolean().optional(),
});

/**
 * How far the background pass over a clip got: its matted frames as half-open `[start, end)` ranges of frame indices
 * (frames matted earlier, e.g. on screen or in a previous session, count too).
 */
export const mattingCoverageSchema = z.object({
  itemId: z.string(),
  /** The background job of this clip (one per clip; a new model starts a new one). */
  jobId: z.string(),
  state: z.enum(['queued', 'running', 'done', 'cancelled', 'failed']),
  frameCount: z.number().int().positive(),
  /** Frames with a matte at any quality (the draft sweep comes first where the model allows it). */
  mattedFrames: z.number().int().min(0),
  ranges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  /** Frames with a full-quality matte (what exports reuse), and their ranges. */
  fullFrames: z.number().int().min(0),
  fullRanges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  /** Why the pass failed, in words. */
  message: z.string().optional(),
});
/** Parsed {@link mattingCoverageSchema}. */
export type MattingCoverage = z.output<typeof mattingCoverageSchema>;

/** Largest background picture sent as it is (base64 grows it by a third; an RPC message holds at most 16 MiB). */
export const maxBackgroundUploadBytes = 10 * 1024 * 1024;

export const studioContract = defineContract({
  methods: {
    /** Engine facts for the title bar and model menu. */
    getAppInfo: {
      input: z.object({}),
      output: z.object({ version: z.string(), shell: z.enum(['electron', 'web']), models: z.array(z.object({ spec: modelSpecSchema, installed: z.boolean() })) }),
    },
    /** Opens files and folders (folders: their images and clips, recursively). Bad paths fail alone. */
    openPaths: {
      input: z.object({ paths: z.array(z.string().min(1)).min(1).max(10_000) }),
      output: z.object({ items: z.array(itemInfoSchema), failures: z.array(openFailureSchema) }),
    },
    /** Lists a folder for the web shell's open dialog. */
    listFolder: { input: z.object({ path: z.string().optional() }), output: folderListingSchema },
    /** Runs the model on a still or one clip frame (cached); progress arrives as `onJobProgress` with this jobId. */
    matteItem: {
      input: z.object({ jobId: z.string(), itemId: z.string(), frameIndex: z.number().int().min(0).default(0), modelId: z.string().optional(), rerun: z.boolean().default(false) }),
      output: matteProvenanceSchema,
    },
    /**
     * Renders the refined cut-out at display size for the given settings. The renderer cancels the previous call
     * when a slider moves again.
     */
    renderPreview: {
      input: z.object({
        itemId: z.string(),
        frameIndex: z.number().int().min(0).default(0),
        settings: refinementSettingsSchema,
        maxSide: z.number().int().min(16).max(8192).default(1600),
        /** The model whose matte to refine; absent: the one last given to matteItem for this item, else the best. */
        modelId: z.string().optional(),
      }),
      output: previewSchema,
    },
    /**
     * Keeps a background picture the renderer opened for the "On picture" view (its bytes, base64: a browser file has
     * no path in the web shell) where composite exports can read it; `path` is then passed as their `background`. The
     * picture is checked as an opened one is. A file over {@link maxBackgroundUploadBytes} is sent re-encoded.
     */
    storeBackgroundPicture: {
      input: z.object({ name: z.string().min(1).max(1024), base64: z.string().min(1).max(Math.ceil(maxBackgroundUploadBytes / 3) * 4) }),
      output: z.object({ path: z.string(), width: z.number().int().positive(), height: z.number().int().positive() }),
    },
    /** Replaces the hand edits of one frame (null clears them); exports apply them on top. */
    setMaskEdit: {
      input: z.object({ itemId: z.string(), frameIndex: z.number().int().min(0), edit: maskTilesSchema.nullable() }),
      output: z.object({ ok: z.literal(true) }),
    },
    /** Frames the engine flagged as unstable (clips), after a clip analysis or export. */
    getFlaggedFrames: { input: z.object({ itemId: z.string() }), output: z.array(z.object({ frameIndex: z.number().int(), reason: z.string() })) },
    /**
     * Exports one item with one settings snapshot, hand edits applied; progress as `onJobProgress`. Writes
     * `<name>.png|.webp` (`<name>_matte.png` for matte-png, `<name>_premultiplied.png`; clips as `clipOutputName`) into outputDir, adding `-2`,
     * `-3`… rather than overwriting. `alphaVerified`: the written file was read back with its alpha intact (null for
     * formats without alpha).
     */
    exportItem: {
      input: z.object({
        jobId: z.string(),
        itemId: z.string(),
        format: z.enum([...stillExportFormats, ...clipExportFormats] as [string, ...string[]]),
        outputDir: z.string().min(1),
        settings: refinementSettingsSchema,
        /** `mp4` clips: `#rrggbb` or a picture path to composite over. */
        background: z.string().optional(),
        /** As for renderPreview: absent means the model last given to matteItem for this item, else the best. */
        modelId: z.string().optional(),
        /** Clips: export only the first frames (quick checks, tests). */
        maxFrames: z.number().int().positive().optional(),
      }),
      output: z.object({ output: z.string(), alphaVerified: z.boolean().nullable(), frames: z.number().int().optional() }),
    },
    /**
     * Subscribes this connection to `onMattingProgress` (the background passes over clips): the current state of every
     * clip at once, then every change. Never resolves on its own; cancel it (or close the connection) to stop.
     */
    watchMatting: { input: z.object({}), output: z.object({ ok: z.literal(true) }) },
    /** Where the background pass over a clip stands (null: no pass for this item, e.g. a still). */
    getMattingCoverage: { input: z.object({ itemId: z.string() }), output: mattingCoverageSchema.nullable() },
    /** Stops the background pass over a clip; the frames it matted stay cached. */
    cancelBackgroundMatting: { input: z.object({ itemId: z.string() }), output: z.object({ ok: z.literal(true) }) },
    /** Starts (or resumes) the background pass over a clip with a model (absent: the item's chosen model). */
    startBackgroundMatting: { input: z.object({ itemId: z.string(), modelId: z.string().optional() }), output: z.object({ ok: z.literal(true) }) },
    ...batchMethods,
    ...modelMethods,
    ...defineProjectMethods({ itemInfo: itemInfoSchema, maskTiles: maskTilesSchema, openFailure: openFailureSchema }),
  },
  events: {
    /** Progress of a long request, at most ~10 per second per job (batches add their item fields). */
    onJobProgress: z.object({ jobId: z.string(), stage: z.string(), fraction: z.number().min(0).max(1), item: z.string().optional(), ...batchProgressFields }),
    ...batchEvents,
    /** A clip's background matting moved on (sent to connections that called `watchMatting`), ≤ ~10 per second. */
    onMattingProgress: mattingCoverageSchema,
    /** The OS asked to open files or folders (file association, second launch, macOS open-file). */
    onOpenRequest: z.object({ paths: z.array(z.string()) }),
  },
});

/** The studio contract's type. */
export type StudioContract = typeof studioContract;
