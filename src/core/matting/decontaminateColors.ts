import { boxBlur } from '../filters/boxBlur';
import { assertImage, createFloatImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';

/** Options of {@link decontaminateColors}. */
export interface DecontaminateColorsOptions {
  /** Fraction 0–1 of the way edge colours move towards the nearby solid colour; 0 leaves them unchanged. @default 1 */
  amount?: number;
  /** Radius in pixels of the (running-sum box) neighbourhood the solid colour is taken from. @default 8 */
  radiusPx?: number;
  /** α from which a pixel counts as solid, fraction 0–1: solid weight ramps from 0 here to 1 at α = 1. @default 0.8 */
  solidAlpha?: number;
  /** Optional 3-channel destination (may be `foreground` itself). */
  out?: FloatImage;
}

/** Below this box-averaged solid weight no solid pixel is near enough: the colour is kept. */
const MIN_WEIGHT = 1e-4;

/**
 * "Decontaminate Colors" as artists know it from Photoshop's Refine Edge: colour fringes in the edge band are replaced
 * by the colour of nearby solid foreground, so no trace of the old background (white or grey halos over a dark new
 * background, dark rims over a light one) survives. Runs on top of a foreground estimate such as blur fusion.
 *
 * Solid weight w = clamp((α − solidAlpha) / (1 − solidAlpha)); the solid colour S = box(w·F) / box(w) over a
 * (2·radiusPx + 1)² window; for 0 < α < 1, F' = F + amount · (1 − α) · (S − F): the more transparent a pixel, the
 * more of its colour comes from the solid neighbourhood. Pixels with α 0 or 1, and pixels with no solid pixel in the
 * window, keep F. Allocates two blur buffers per call (none per pixel).
 * @param foreground 3-channel float sRGB foreground estimate F.
 * @param alpha 1-channel matte of the same size.
 * @param options Amount, radius and destination.
 * @returns The decontaminated foreground (`options.out` when given).
 */
export function decontaminateColors(foreground: FloatImage, alpha: AlphaMatte, options: DecontaminateColorsOptions = {}): FloatImage {
  assertImage(foreground, 'foreground', { channels: 3 });
  const { width, height } = foreground;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  const amount = options.amount ?? 1;
  const radiusPx = options.radiusPx ?? 8;
  const solidAlpha = options.solidAlpha ?? 0.8;
  if (!(amount >= 0 && amount <= 1)) throw new RangeError(expectation('a number in [0, 1]', 'options.amount', amount));
  if (!(solidAlpha >= 0 && solidAlpha < 1)) throw new RangeError(expectation('a number in [0, 1)', 'options.solidAlpha', solidAlpha));
  if (!Number.isInteger(radiusPx) || radiusPx < 1) throw new RangeError(expectation('a positive integer', 'options.radiusPx', radiusPx));
  const out = options.out ?? createFloatImage(width, height, 3);
  assertImage(out, 'out', { channels: 3, width, height });
  if (out.data !== foreground.data) out.data.set(foreground.data);
  if (amount === 0) return out;

  const matte = alpha.data;
  const colors = foreground.data;
  // Weighted colour and weight in one 4-channel image, blurred together.
  const weighted = createFloatImage(width, height, 4);
  const sums = weighted.data;
  const solidScale = 1 / (1 - solidAlpha);
  let hasBand = false;
  for (let pixel = 0; pixel < matte.length; pixel++) {
    const coverage = matte[pixel]!;
    if (coverage > 0 && coverage < 1) hasBand = true;
    const weight = coverage <= solidAlpha ? 0 : Math.min(1, (coverage - solidAlpha) * solidScale);
    const target = pixel * 4;
    const source = pixel * 3;
    sums[target] = weight * colors[source]!;
    sums[target + 1] = weight * colors[source + 1]!;
    sums[target + 2] = weight * colors[source + 2]!;
    sums[target + 3] = weight;
  }
  if (!hasBand) return out;
  boxBlur(weighted, { radiusPx }, weighted);
  const result = out.data;
  for (let pixel = 0; pixel < matte.length; pixel++) {
    const coverage = matte[pixel]!;
    if (!(coverage > 0 && coverage < 1)) continue;
    const weight = sums[pixel * 4 + 3]!;
    if (!(weight > MIN_WEIGHT)) continue;
    const share = (amount * (1 - coverage)) / weight;
    const keep = 1 - amount * (1 - coverage);
    for (let channel = 0; channel < 3; channel++) {
      const index = pixel * 3 + channel;
      result[index] = keep * colors[index]! + share * sums[pixel * 4 + channel]!;
    }
  }
  return out;
}
