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
  /**
   * Colour radius: the blur-fusion foreground colour estimation window in pixels; 0 turns colour estimation off
   * (F = image). Not the edge band's radius (that is {@link edgeRadiusPx}).
   */
  radiusPx: z.number().int().min(0).max(400).default(90),
  /**
   * Photoshop's Radius: half-width in pixels of the band around the model's edge where alpha is re-solved by
   * closed-form matting; 0 turns edge-band refinement off. Default 3: best SAD and gradient error on GT05 and the
   * sprite composites of `npm run bench -- quality` (wider bands, 6–16 px, did worse).
   */
  edgeRadiusPx: z.number().min(0).max(64).default(3),
  /** Photoshop's Smart Radius: the band keeps the full radius on soft edges (hair, fur) and narrows on hard ones. */
  smartRadius: z.boolean().default(true),
  /**
   * Photoshop's Decontaminate Colors: edge colours move towards nearby solid foreground colour, removing halos of the
   * old background. Off by default: on the ground-truth composites it raises colour error slightly (see the bench).
   */
  decontaminate: z.boolean().default(false),
  /** Decontamination amount, 0–1 (used when {@link decontaminate} is on). */
  decontaminateAmount: z.number().min(0).max(1).default(0.5),
  /**
   * Lab spill suppression strength, 0 (off) to 1 (full). Default 0.6: the strongest setting whose skin change on
   * lp_d9_blond_yellowwall stays within half the ΔE 2 budget (max ΔE76 ≈ 1.0; `npm run bench -- spill`).
   */
  spillStrength: z.number().min(0).max(1).default(0.6),
  /** How much skin-like hues (skin, lips, tongue) are spared by spill suppression, 0 (not at all) to 1 (fully). */
  spillSkinProtection: z.number().min(0).max(1).default(1),
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
