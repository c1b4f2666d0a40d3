/**
 * Matting settings: one snapshot applies to every item of a batch or every frame of a clip (uniform results).
 * Validated with zod wherever they cross a trust boundary (IPC, project files, CLI flags).
 */
import { z } from 'zod';

/** Cartoon handling: detect automatically, force on, or force off. */
export const cartoonModes = ['auto', 'on', 'off'] as const;
/** One of {@link cartoonModes}. */
export type CartoonMode = (typeof cartoonModes)[number];

/** Edge refinement applied after the model. */
export const refinementSettingsSchema = z.object({
  /** Blur-fusion foreground estimation radius in pixels; 0 turns colour estimation off (F = image). */
  radiusPx: z.number().int().min(0).max(400).default(90),
  /** Lab spill suppression strength, 0 (off) to 1 (full). */
  spillStrength: z.number().min(0).max(1).default(1),
  cartoonMode: z.enum(cartoonModes).default('auto'),
  /** Softens the matte edge, in pixels. */
  featherPx: z.number().min(0).max(100).default(0),
  /** Moves the edge: negative shrinks (erode), positive grows (dilate), in pixels. */
  shiftEdgePx: z.number().min(-100).max(100).default(0),
  /** Steepens the alpha ramp, 0–100. */
  contrast: z.number().min(0).max(100).default(0),
  /** Rounds jagged contours, in pixels. */
  smoothPx: z.number().min(0).max(100).default(0),
});
/** Parsed {@link refinementSettingsSchema}. */
export type RefinementSettings = z.output<typeof refinementSettingsSchema>;

/** How the cut-out is written. */
export const outputSettingsSchema = z.object({
  /** Premultiply colour by alpha (straight alpha otherwise). */
  premultiplied: z.boolean().default(false),
  /** Write only the greyscale matte. */
  maskOnly: z.boolean().default(false),
});
/** Parsed {@link outputSettingsSchema}. */
export type OutputSettings = z.output<typeof outputSettingsSchema>;

/** Everything that decides a still's result. */
export const stillSettingsSchema = z.object({
  /** Preferred model id; absent means the best installed model. */
  modelId: z.string().optional(),
  refinement: refinementSettingsSchema.default(refinementSettingsSchema.parse({})),
  output: outputSettingsSchema.default(outputSettingsSchema.parse({})),
});
/** Parsed {@link stillSettingsSchema}. */
export type StillSettings = z.output<typeof stillSettingsSchema>;

/** Defaults for every setting. */
export function defaultStillSettings(): StillSettings {
  return stillSettingsSchema.parse({});
}

/** Which tier made a matte: 1 best installed model, 2 lighter model, 3 classical gradient mask. */
export type MatteTier = 1 | 2 | 3;
