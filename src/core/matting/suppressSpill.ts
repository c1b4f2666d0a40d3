import { labPixelToSrgb } from '../color/labToSrgb';
import { srgbPixelToLab } from '../color/srgbToLab';
import { skinLikeness } from './skinLikeness';
import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';

/** Options of {@link suppressSpill}. */
export interface SuppressSpillOptions {
  /** User strength, fraction 0–1; 0 leaves the image unchanged. @default 1 */
  strength?: number;
  /** Lower alpha bound of the edge band (exclusive), fraction 0–1. @default 0 */
  bandLow?: number;
  /** Upper alpha bound of the edge band (exclusive), fraction 0–1. @default 1 */
  bandHigh?: number;
  /** CIE76 distance between foreground and background (Lab units) at which suppression fades to zero. @default 18 */
  maxDeltaE?: number;
  /** Largest share of the background-ward chroma removed at strength 1 and ΔE 0, fraction 0–1. @default 0.85 */
  maxSuppression?: number;
  /**
   * How much skin-like colours are spared, fraction 0–1: suppression is scaled by `1 − skinProtection · skinLikeness`,
   * where skinLikeness is 1 for Lab hue angles 20°–60° with chroma 8–50 and fades to 0 over 10° of hue and 4 units of
   * chroma (lips, tongue and skin in shadow included; blond hair, about 70°–90°, mostly outside). @default 1
   */
  skinProtection?: number;
  /**
   * Suppression fades out as α approaches 1 over this alpha span, fraction 0–1: it is scaled by
   * `min(1, (1 − α) / opaqueFade)`, so nearly opaque pixels (skin the model left at α 0.97, say), which hold almost
   * no background, keep their colour; 0 turns the fade off. @default 0.3
   */
  opaqueFade?: number;
  /**
   * Optional 1-channel output for the spill preview: the chroma removed at each pixel in Lab units (= the ΔE76 of
   * the correction) divided by {@link HEATMAP_FULL_SCALE}, clamped to [0, 1]; 0 where nothing was removed.
   * The absolute amount is used rather than the share of the pixel's chroma so that near-grey pixels, whose change
   * is invisible, do not light up.
   */
  heatmap?: FloatImage;
  /** Optional 3-channel output of the same size (may be `foreground` itself). */
  out?: FloatImage;
}

/** Removed chroma, in Lab units, that shows as full heat (1) in the spill heat map. */
export const HEATMAP_FULL_SCALE = 20;

/** Background chroma (Lab units) below which the background counts as neutral: no spill direction. */
const NEUTRAL_CHROMA = 2;
/** Alpha within this of 0 or 1 counts as fully background or foreground (one 8-bit step, float-tolerant). */
const EDGE_MARGIN = 1 / 255 + 1e-6;
/** Lab scratch for one pixel: [L_F, a_F, b_F, L_B, a_B, b_B]; module-level so the loop never allocates. */
const scratch = new Float64Array(6);

/**
 * Suppresses colour spill from the background in the matte's edge band, in CIELAB.
 *
 * For each pixel with bandLow < α < bandHigh (α within 1/255 of 0 or 1 counts as outside): F and B are converted to
 * Lab; B̂ is the unit direction of B's chroma (a_B, b_B), skipped when that chroma is below 2 (neutral background);
 * p = (a_F, b_F)·B̂; when p > 0, p·S·B̂ is subtracted from F's chroma, with
 * S = strength · maxSuppression · max(0, 1 − ΔE76(F, B) / maxDeltaE) · (1 − skinProtection · skinLikeness(F)) ·
 * min(1, (1 − α) / opaqueFade): the ΔE gate spares colours far from the background. L is untouched; the result is converted back
 * to sRGB and clamped to [0, 1]. Other pixels are copied unchanged. Chroma orthogonal to B̂ is preserved.
 * Only band pixels are converted, so the cost scales with the band, not the image.
 * @param foreground 3-channel float sRGB foreground estimate F (e.g. from blur fusion).
 * @param alpha 1-channel matte of the same size.
 * @param background 3-channel float sRGB local background estimate B of the same size.
 * @returns The corrected foreground (`options.out` when given).
 */
export function suppressSpill(
  foreground: FloatImage,
  alpha: AlphaMatte,
  background: FloatImage,
  options: SuppressSpillOptions = {},
): FloatImage {
  assertImage(foreground, 'foreground', { channels: 3 });
  const { width, height } = foreground;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  assertImage(background, 'background', { channels: 3, width, height });
  const strength = fraction(options.strength ?? 1, 'options.strength');
  const bandLow = fraction(options.bandLow ?? 0, 'options.bandLow');
  const bandHigh = fraction(options.bandHigh ?? 1, 'options.bandHigh');
  const maxSuppression = fraction(options.maxSuppression ?? 0.85, 'options.maxSuppression');
  const skinProtection = fraction(options.skinProtection ?? 1, 'options.skinProtection');
  const opaqueFade = fraction(options.opaqueFade ?? 0.3, 'options.opaqueFade');
  const maxDeltaE = options.maxDeltaE ?? 18;
  if (!(maxDeltaE > 0) || !Number.isFinite(maxDeltaE)) {
    throw new RangeError(expectation('a positive finite number', 'options.maxDeltaE', maxDeltaE));
  }
  if (bandLow >= bandHigh) {
    throw new RangeError(expectation(`bandLow below bandHigh (${bandHigh})`, 'options.bandLow', bandLow));
  }
  const out = options.out ?? createFloatImage(width, height, 3);
  assertImage(out, 'out', { channels: 3, width, height });
  const heatmap = options.heatmap;
  if (heatmap !== undefined) {
    assertImage(heatmap, 'heatmap', { channels: 1, width, height });
    heatmap.data.fill(0);
  }
  if (out !== foreground) out.data.set(foreground.data);

  const low = Math.max(bandLow, EDGE_MARGIN);
  const high = Math.min(bandHigh, 1 - EDGE_MARGIN);
  const scale = strength * maxSuppression;
  if (scale === 0) return out;
  const inverseMaxDeltaE = 1 / maxDeltaE;
  const matte = alpha.data;
  const source = foreground.data;
  const behind = background.data;
  const target = out.data;
  const heat = heatmap?.data;
  const lab = scratch;
  // Local aliases: module runners turn each call of an imported function into a property read (see srgbToLab.ts).
  const toLab = srgbPixelToLab;
  const toSrgb = labPixelToSrgb;
  for (let pixel = 0; pixel < matte.length; pixel++) {
    const coverage = matte[pixel]!;
    if (!(coverage > low && coverage < high)) continue;
    const offset = pixel * 3;
    toLab(behind, offset, lab, 3);
    const backgroundA = lab[4]!;
    const backgroundB = lab[5]!;
    const backgroundChroma = Math.sqrt(backgroundA * backgroundA + backgroundB * backgroundB);
    if (backgroundChroma < NEUTRAL_CHROMA) continue;
    toLab(source, offset, lab, 0);
    const foregroundA = lab[1]!;
    const foregroundB = lab[2]!;
    const directionA = backgroundA / backgroundChroma;
    const directionB = backgroundB / backgroundChroma;
    const projection = foregroundA * directionA + foregroundB * directionB;
    if (!(projection > 0)) continue;
    const deltaL = lab[0]! - lab[3]!;
    const deltaA = foregroundA - backgroundA;
    const deltaB = foregroundB - backgroundB;
    const deltaE = Math.sqrt(deltaL * deltaL + deltaA * deltaA + deltaB * deltaB);
    const suppression = scale * (1 - deltaE * inverseMaxDeltaE) * (1 - skinProtection * skinLikeness(foregroundA, foregroundB)) *
      (opaqueFade > 0 ? Math.min(1, (1 - coverage) / opaqueFade) : 1);
    if (!(suppression > 0)) continue;
    const removed = suppression * projection;
    lab[1] = foregroundA - removed * directionA;
    lab[2] = foregroundB - removed * directionB;
    toSrgb(lab, 0, target, offset);
    if (heat !== undefined) heat[pixel] = Math.min(1, removed / HEATMAP_FULL_SCALE);
  }
  return out;
}

function fraction(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(expectation('a number in [0, 1]', name, value));
  return value;
}
