/**
 * What the studio knows about a matting model, shared by the engine, the contract and the CLI.
 * Everything persisted or received (catalogue, user index, sidecar JSON) goes through these schemas.
 */
import { z } from 'zod';

/** Model families the engine knows how to pre- and post-process. `custom` is a user-supplied `.onnx`. */
export const modelFamilies = ['isnet', 'birefnet', 'ben2', 'rmbg', 'u2net', 'modnet', 'custom'] as const;

/** One of {@link modelFamilies}. */
export type ModelFamily = (typeof modelFamilies)[number];

const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);

/**
 * Per-channel normalisation on 0–1 values: `value = (x / 255 − mean[c]) / std[c]` where `x` is the 0–255 sample.
 * `kind` may be left out in sidecar files; it defaults to `meanStd`.
 */
export const meanStdNormalizationSchema = z.object({
  kind: z.literal('meanStd').default('meanStd'),
  mean: rgbTriple,
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
});

/**
 * Affine normalisation on raw 0–255 samples: `value = x * scale + offset`, the same for every channel.
 * Needed where a model was trained on `(x − 128) / 256` (IS-Net as bundled), which no 0–1 mean/std expresses exactly.
 */
export const affineNormalizationSchema = z.object({
  kind: z.literal('affine'),
  scale: z.number().positive(),
  offset: z.number(),
});

/** How input pixels are turned into tensor values. */
export const normalizationSchema = z.union([meanStdNormalizationSchema, affineNormalizationSchema]);

/** Parsed form of {@link normalizationSchema}. */
export type Normalization = z.output<typeof normalizationSchema>;

/** The mean/std form of {@link Normalization}. */
export type MeanStdNormalization = Extract<Normalization, { kind: 'meanStd' }>;

/** The usual ImageNet statistics; also the default for a custom model until the user says otherwise. */
export const imagenetNormalization: MeanStdNormalization = { kind: 'meanStd', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** The model's input tensor. */
export const modelInputSchema = z.object({
  /** Input name; absent means the session's first input. */
  name: z.string().min(1).optional(),
  /** Width in pixels the tensor expects (for a dynamic model, the size it works best at). */
  width: z.number().int().positive(),
  /** Height in pixels the tensor expects. */
  height: z.number().int().positive(),
  layout: z.literal('NCHW'),
  /** True when the graph accepts other sizes (MODNet, some custom exports). */
  dynamic: z.boolean().optional(),
});

/** The output that carries the matte. */
export const modelOutputSchema = z.object({
  /** Output name; absent means the session's output at index 0. */
  name: z.string().min(1).optional(),
  /** True when the graph ends in logits and the engine must apply a sigmoid. */
  needsSigmoid: z.boolean(),
});

/** Licence of the weights as distributed. */
export const modelLicenceSchema = z.object({
  /** SPDX id where one exists (`MIT`, `Apache-2.0`, `AGPL-3.0`, `CC-BY-NC-4.0`) or a vendor name. */
  id: z.string().min(1),
  /** False for non-commercial licences; the UI and CLI mark such models. */
  commercialUse: z.boolean(),
  note: z.string().optional(),
});

/** Where a model can be downloaded from. */
export const modelDownloadSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Lower-case hex sha256 of the file, only where it is actually known; otherwise the downloader records it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Exact size in bytes, when known. */
  sizeBytes: z.number().int().positive().optional(),
});

/** Ids are file-name safe, so `<id>.onnx` is always a valid name in the user folder. */
export const modelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, dot, dash or underscore');

/** A matting model: what it is, how to feed it, how to read it, and under which licence. */
export const modelSpecSchema = z.object({
  id: modelIdSchema,
  name: z.string().min(1),
  family: z.enum(modelFamilies),
  /** Quality rank, higher is better; picks the best installed model and the lighter fallback. */
  tier: z.number().int().min(0),
  /** Approximate size on disk, for display. */
  sizeBytes: z.number().int().nonnegative(),
  input: modelInputSchema,
  normalization: normalizationSchema,
  output: modelOutputSchema,
  licence: modelLicenceSchema,
  download: modelDownloadSchema.optional(),
  /** Shipped inside the app under `resources/models`. */
  bundled: z.boolean().optional(),
  /** Custom models only: false while the normalisation is a default guess the user should confirm. */
  normalizationInferred: z.boolean().optional(),
});

/** Parsed form of {@link modelSpecSchema}. */
export type ModelSpec = z.output<typeof modelSpecSchema>;

/** Where an installed model's file came from. */
export type ModelSource = 'bundled' | 'downloaded' | 'custom';

/** A model whose file is present and whose size matched what was recorded. */
export interface InstalledModel {
  spec: ModelSpec;
  source: ModelSource;
  /** Absolute path of the `.onnx` file. */
  path: string;
  /** Size of the file on disk, checked against the manifest or index. */
  bytes: number;
  /** Lower-case hex sha256 as recorded at install time, when known. */
  sha256?: string;
}

/** Everything `listModels` reports: what is installed and what could be downloaded. */
export interface ModelListing {
  installed: InstalledModel[];
  /** Catalogue models that are not installed and have a download. */
  available: ModelSpec[];
}

/**
 * Reduces any {@link Normalization} to `value = x * scale[c] + offset[c]` on raw 0–255 samples,
 * the one form the pre-processing loop needs.
 */
export function toChannelAffine(normalization: Normalization): { scale: [number, number, number]; offset: [number, number, number] } {
  if (normalization.kind === 'affine') {
    const { scale, offset } = normalization;
    return { scale: [scale, scale, scale], offset: [offset, offset, offset] };
  }
  const { mean, std } = normalization;
  return {
    scale: [1 / (255 * std[0]), 1 / (255 * std[1]), 1 / (255 * std[2])],
    offset: [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]],
  };
}
