import { guidedUpsample } from '../../core/filters/guidedUpsample';
import { toFloatImage, type AlphaMatte, type FloatImage, type Image8 } from '../../core/imageTypes';
import { decontaminateColors } from '../../core/matting/decontaminateColors';
import { detectCartoon } from '../../core/matting/detectCartoon';
import { edgeBandTrimap } from '../../core/matting/edgeBandTrimap';
import { applyMaskEdit, type MaskEdit } from '../../core/matting/maskEdit';
import { estimateForeground } from '../../core/matting/estimateForeground';
import { protectOutlines } from '../../core/matting/protectOutlines';
import { refineMatte } from '../../core/matting/refineMatte';
import { solveBandAlpha } from '../../core/matting/solveBandAlpha';
import { suppressSpill } from '../../core/matting/suppressSpill';
import type { RefinementSettings } from '../../shared/settings';
import { timeStage, type StageTimings } from './stageTimer';

/** A refined cut-out at full resolution, straight colour. */
export interface RefinedCutout {
  alpha: AlphaMatte;
  /** Estimated foreground colour, sRGB-encoded floats in [0, 1]. */
  foreground: FloatImage;
  /** Where spill was removed (0–1 heat), for the studio's spill preview; absent when spill suppression is off. */
  spillHeatmap?: FloatImage;
  /** Whether cartoon outline protection was applied. */
  isCartoon: boolean;
}

/** Options beyond the user's settings. */
export interface RefineCutoutOptions {
  /** Compute the spill heat map (studio preview only). @default false */
  withSpillHeatmap?: boolean;
  /**
   * Clips: temporal stabilisation, run on the upsampled alpha before the artist's refinements. The returned matte is
   * refined in place afterwards, so a stabiliser that remembers it must keep its own copy.
   */
  stabilize?: (alpha: AlphaMatte) => AlphaMatte;
  /** Whether the picture is a cartoon, when the caller already knows (previews reuse one detection per picture). */
  isCartoonDetected?: boolean;
  /** The artist's hand edit for this picture or frame, applied on top of everything else before colour estimation. */
  maskEdit?: MaskEdit;
}

/**
 * From a low-resolution matte to a finished cut-out at full resolution:
 * guided upsampling (the full-resolution picture guides the edges) → edge-band refinement (closed-form matting in a
 * band of `edgeRadiusPx` around the edge, Smart Radius) → cartoon outline protection when detected or forced →
 * temporal stabilisation (clips) → artist refinements (smooth, shift edge, contrast, feather) → hand edits →
 * blur-fusion foreground colour → Decontaminate Colors (when on) → Lab spill suppression in the edge band, using the
 * blur-fusion background estimate as the local background colour.
 */
export async function refineCutout(
  image: Image8,
  lowResMatte: AlphaMatte,
  settings: RefinementSettings,
  timings: StageTimings,
  options: RefineCutoutOptions = {},
): Promise<RefinedCutout> {
  const alpha = await timeStage(timings, 'upsample', () => guidedUpsample(lowResMatte, image));
  const imageFloat = await timeStage(timings, 'toFloat', () => toFloatImage(image));
  if (settings.edgeRadiusPx > 0) {
    await timeStage(timings, 'edgeBand', () => {
      const trimap = edgeBandTrimap(alpha, { radiusPx: settings.edgeRadiusPx, isSmartRadius: settings.smartRadius });
      solveBandAlpha(imageFloat, alpha, trimap, { out: alpha });
    });
  }
  const isCartoon = await timeStage(timings, 'cartoon', () => {
    const wanted = settings.cartoonMode === 'on' || (settings.cartoonMode === 'auto' && (options.isCartoonDetected ?? detectCartoon(image).isCartoon));
    if (wanted) protectOutlines(image, alpha, {}, alpha);
    return wanted;
  });
  const { stabilize } = options;
  const finalAlpha = stabilize ? await timeStage(timings, 'stabilize', () => stabilize(alpha)) : alpha;
  await timeStage(timings, 'refine', () =>
    refineMatte(finalAlpha, { featherPx: settings.featherPx, shiftEdgePx: settings.shiftEdgePx, contrast: settings.contrast, smoothPx: settings.smoothPx }, finalAlpha),
  );
  if (options.maskEdit) applyMaskEdit(finalAlpha, options.maskEdit, finalAlpha);
  const { foreground, background } = await timeStage(timings, 'foreground', () => estimateForeground(imageFloat, finalAlpha, { radiusPx: settings.radiusPx }));
  if (settings.decontaminate && settings.decontaminateAmount > 0) {
    await timeStage(timings, 'decontaminate', () => decontaminateColors(foreground, finalAlpha, { amount: settings.decontaminateAmount, out: foreground }));
  }
  let spillHeatmap: FloatImage | undefined;
  if (settings.spillStrength > 0 && settings.radiusPx > 0) {
    spillHeatmap = options.withSpillHeatmap ? { width: image.width, height: image.height, channels: 1, data: new Float32Array(image.width * image.height) } : undefined;
    await timeStage(timings, 'spill', () => suppressSpill(foreground, finalAlpha, background, { strength: settings.spillStrength, skinProtection: settings.spillSkinProtection, heatmap: spillHeatmap, out: foreground }));
  }
  return { alpha: finalAlpha, foreground, spillHeatmap, isCartoon };
}
