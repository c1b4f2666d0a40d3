import { guidedUpsample } from '../../core/filters/guidedUpsample';
import { assertImage, createFloatImage, toFloatImage, type AlphaMatte, type FloatImage, type Image8, type ImageBuffer } from '../../core/imageTypes';
import { decontaminateColors } from '../../core/matting/decontaminateColors';
import { detectCartoon } from '../../core/matting/detectCartoon';
import { edgeBandTrimap, TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, TRIMAP_UNKNOWN } from '../../core/matting/edgeBandTrimap';
import { applyMaskEdit, type MaskEdit } from '../../core/matting/maskEdit';
import { estimateForeground } from '../../core/matting/estimateForeground';
import { protectOutlines } from '../../core/matting/protectOutlines';
import { refineMatte } from '../../core/matting/refineMatte';
import { snapSolidAlpha } from '../../core/matting/snapSolidAlpha';
import { solveBandAlpha } from '../../core/matting/solveBandAlpha';
import { suppressSpill } from '../../core/matting/suppressSpill';
import type { RefinementSettings } from '../../shared/settings';
import type { BandMemo } from './bandMemo';
import { timeStage, type StageTimings } from './stageTimer';
import { borrowFloatImage, type BorrowArray } from '../../core/workingArrays';

/**
 * Auto cartoon mode beyond the detector: a picture scoring at least this (photos on the fixtures: 0.07–0.37) whose
 * matte contour is traced by outline ink over at least {@link AUTO_MIN_OUTLINE_SHARE} gets outline protection. On the
 * fixtures photos' traced share is ≤ 0.12 (portraits, DIM, GT05 with a model matte), sprites over photos 0.29–0.86;
 * `npm run bench -- cartoon` checks that auto is never worse than off on the sprite composites.
 */
const AUTO_MIN_SCORE = 0.3;
/** Share of the matte contour that outline ink must trace for {@link AUTO_MIN_SCORE} pictures. */
const AUTO_MIN_OUTLINE_SHARE = 0.25;

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
  /** The detector's score (`detectCartoon(image).score`) when the caller already has it; spares a second detection in auto mode. */
  cartoonScore?: number;
  /** The artist's hand edit for this picture or frame, applied on top of everything else before colour estimation. */
  maskEdit?: MaskEdit;
  /**
   * Refine Edge brush strokes at full resolution (1-channel, non-zero = painted): painted pixels join the edge band
   * whose alpha is re-solved, even where `edgeRadiusPx` is 0.
   */
  refineEdgeMask?: ImageBuffer<Uint8Array>;
  /**
   * Remembers the matte after the edge band and outline protection, keyed by their inputs, so a change to any other
   * setting reuses it (`bandMemo.ts`). Used by {@link refineCutout} only.
   */
  bandMemo?: BandMemo;
  /**
   * Borrow the float picture and the colour estimate (75 MB at 1080p, a page fault per 4 KiB when fresh) from the
   * thread's working arrays (`core/workingArrays.ts`) with this scope's `borrow`. The caller opens the scope around
   * the whole refinement and closes it once done with the result, whose `foreground` is then borrowed too. As the
   * scope spans the stages' awaits, only a thread that runs one refinement at a time may do this (the kernel worker).
   */
  borrowPlanes?: BorrowArray;
  /**
   * With `borrowPlanes`, borrow the full-resolution matte too (the result's `alpha`, 8 MB at 1080p): for a caller that
   * is done with it when the scope closes. Clips keep their matte as the next frame's state and leave this off.
   */
  borrowAlpha?: boolean;
}

/**
 * From a low-resolution matte to a finished cut-out at full resolution:
 * guided upsampling (the full-resolution picture guides the edges) → edge-band refinement (closed-form matting in a
 * band of `edgeRadiusPx` around the edge, Smart Radius) → cartoon outline protection when detected or forced →
 * temporal stabilisation (clips) → artist refinements (smooth, shift edge, contrast, feather) → hand edits →
 * α within half an 8-bit level of 0 or 1 made exactly solid (`snapSolidAlpha`) → blur-fusion foreground colour →
 * Decontaminate Colors (when on) → Lab spill suppression in the edge band, using the blur-fusion background estimate
 * as the local background colour.
 */
export async function refineCutout(
  image: Image8,
  lowResMatte: AlphaMatte,
  settings: RefinementSettings,
  timings: StageTimings,
  options: RefineCutoutOptions = {},
): Promise<RefinedCutout> {
  const { bandMemo } = options;
  const key = bandMemo?.keyOf(image, lowResMatte, settings, options.refineEdgeMask, options);
  const remembered = key === undefined ? undefined : bandMemo!.get(key);
  const alpha = fullMatte(image, options);
  if (remembered) {
    timings.bandMemo = (timings.bandMemo ?? 0) + 1;
    alpha.data.set(remembered.alpha);
    return finishCutout(image, await timeStage(timings, 'toFloat', () => floatPicture(image, options)), alpha, remembered.isCartoon, settings, timings, options);
  }
  await timeStage(timings, 'upsample', () => guidedUpsample(lowResMatte, image, { out: alpha }));
  return refineUpsampled(image, alpha, settings, timings, options, key === undefined ? undefined : (isCartoon) => bandMemo!.set(key, alpha.data, isCartoon));
}

/**
 * Whether outline protection applies to a picture, decided as {@link refineCutout} decides it (`alpha`: the
 * upsampled matte). Strip-wise refinement decides once for the whole picture and passes `on`/`off` to each strip.
 */
export function isOutlineProtected(image: Image8, alpha: AlphaMatte, settings: RefinementSettings, options: Pick<RefineCutoutOptions, 'isCartoonDetected' | 'cartoonScore'> = {}): boolean {
  if (settings.cartoonMode === 'off') return false;
  if (settings.cartoonMode === 'on' || options.isCartoonDetected === true) return true;
  const detection = options.isCartoonDetected === false && options.cartoonScore !== undefined ? { isCartoon: false, score: options.cartoonScore } : detectCartoon(image);
  if (detection.isCartoon) return true;
  if (detection.score < AUTO_MIN_SCORE) return false;
  const report = { outlineShare: 0, isApplied: false };
  protectOutlines(image, alpha, { minOutlineShare: AUTO_MIN_OUTLINE_SHARE, report }); // into a scratch copy: only the verdict counts
  return report.isApplied;
}

/** {@link refineCutout} after guided upsampling: `alpha` is the full-resolution matte, refined in place. */
export async function refineUpsampled(
  image: Image8,
  alpha: AlphaMatte,
  settings: RefinementSettings,
  timings: StageTimings,
  options: RefineCutoutOptions = {},
  /** Hears the band's result before the later stages refine `alpha` further in place (the band memo keeps it). */
  afterBand?: (isCartoon: boolean) => void,
): Promise<RefinedCutout> {
  const imageFloat = await timeStage(timings, 'toFloat', () => floatPicture(image, options));
  const isCartoon = await refineBand(image, imageFloat, alpha, settings, timings, options);
  afterBand?.(isCartoon);
  return finishCutout(image, imageFloat, alpha, isCartoon, settings, timings, options);
}

/** The edge band's re-solved alpha and outline protection, in place; returns whether outlines were protected. */
async function refineBand(image: Image8, imageFloat: FloatImage, alpha: AlphaMatte, settings: RefinementSettings, timings: StageTimings, options: RefineCutoutOptions): Promise<boolean> {
  const { refineEdgeMask } = options;
  if (settings.edgeRadiusPx > 0 || refineEdgeMask) {
    await timeStage(timings, 'edgeBand', () => {
      const trimap = settings.edgeRadiusPx > 0
        ? edgeBandTrimap(alpha, { radiusPx: settings.edgeRadiusPx, isSmartRadius: settings.smartRadius, out: options.borrowPlanes && { width: image.width, height: image.height, channels: 1, data: options.borrowPlanes(Uint8Array, image.width * image.height) } })
        : { ...refineEdgeMask!, data: Uint8Array.from(alpha.data, (value) => (value >= 0.5 ? TRIMAP_FOREGROUND : TRIMAP_BACKGROUND)) };
      if (refineEdgeMask) {
        assertImage(refineEdgeMask, 'refineEdgeMask', { channels: 1, width: image.width, height: image.height });
        for (let pixel = 0; pixel < trimap.data.length; pixel++) if (refineEdgeMask.data[pixel] !== 0) trimap.data[pixel] = TRIMAP_UNKNOWN;
      }
      solveBandAlpha(imageFloat, alpha, trimap, { out: alpha });
    });
  }
  return timeStage(timings, 'cartoon', () => {
    const isProtected = isOutlineProtected(image, alpha, settings, options);
    if (isProtected) protectOutlines(image, alpha, {}, alpha);
    return isProtected;
  });
}

/** Everything after the band: stabilisation (clips), the artist's refinements, hand edits, colour and spill. */
async function finishCutout(image: Image8, imageFloat: FloatImage, alpha: AlphaMatte, isCartoon: boolean, settings: RefinementSettings, timings: StageTimings, options: RefineCutoutOptions): Promise<RefinedCutout> {
  const { stabilize } = options;
  const finalAlpha = stabilize ? await timeStage(timings, 'stabilize', () => stabilize(alpha)) : alpha;
  await timeStage(timings, 'refine', () =>
    refineMatte(finalAlpha, { featherPx: settings.featherPx, shiftEdgePx: settings.shiftEdgePx, contrast: settings.contrast, smoothPx: settings.smoothPx }, finalAlpha),
  );
  if (options.maskEdit) applyMaskEdit(finalAlpha, options.maskEdit, finalAlpha);
  // α that every output writes as byte 0 or 255 becomes exactly 0 or 1, so colour estimation skips solid tiles.
  snapSolidAlpha(finalAlpha);
  const { borrowPlanes } = options;
  const colorPlane = () => borrowFloatImage(borrowPlanes!, imageFloat.width, imageFloat.height, imageFloat.channels);
  const out = borrowPlanes && { foreground: colorPlane(), background: colorPlane() };
  const { foreground, background } = await timeStage(timings, 'foreground', () => estimateForeground(imageFloat, finalAlpha, { radiusPx: settings.radiusPx, out }));
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

/** The full-resolution matte's plane (any contents): borrowed when the caller lends it (`borrowAlpha`), else new. */
function fullMatte(image: Image8, { borrowPlanes, borrowAlpha }: RefineCutoutOptions): AlphaMatte {
  return borrowPlanes && borrowAlpha ? borrowFloatImage(borrowPlanes, image.width, image.height) : createFloatImage(image.width, image.height, 1);
}

/** The picture as floats, in a borrowed working array when the caller lends one (`borrowPlanes`). */
function floatPicture(image: Image8, { borrowPlanes }: RefineCutoutOptions): FloatImage {
  return toFloatImage(image, borrowPlanes && borrowFloatImage(borrowPlanes, image.width, image.height, image.channels));
}
