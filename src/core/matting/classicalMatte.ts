import { srgbToLab } from '../color/srgbToLab';
import { boxBlur } from '../filters/boxBlur';
import { laplacian } from '../filters/laplacian';
import { sobelMagnitude } from '../filters/sobel';
import { toGray } from '../filters/toGray';
import { assertImage, createFloatImage, type AlphaMatte, type ImageBuffer } from '../imageTypes';
import { fillHoles, keepSubjectRegions, otsuThreshold, quantile, borderPalette } from './classicalMatteSteps';

/** Options for {@link classicalMatte}. */
export interface ClassicalMatteOptions {
  /** Weight of colour distance from the border palette (saliency). @default 0.6 */
  saliencyWeight?: number;
  /** Weight of Sobel + Laplacian edge energy. @default 0.2 */
  edgeWeight?: number;
  /** Weight of the skin-tone prior. @default 0.2 */
  skinWeight?: number;
}

/**
 * The last matting tier, which never fails: a subject mask from classical cues, for when no model is installed or
 * every model failed. Works at low resolution (callers pass an image of about 320 px and upsample the result with a
 * guided filter against the full-resolution picture).
 *
 * Cues: colour distance to the palette of the image border (what surrounds a subject is usually background),
 * Sobel/Laplacian edge energy (subjects carry detail), a skin-tone prior, and a centre prior (portraits are framed
 * around the subject). The score is split with Otsu's threshold, regions not connected to the subject are dropped,
 * enclosed holes are filled, and the edge is softened. An empty or everything-covering result falls back to a
 * centred ellipse, so the output is always a plausible matte.
 */
export function classicalMatte(image: ImageBuffer, options: ClassicalMatteOptions = {}): AlphaMatte {
  assertImage(image, 'image', { channels: 3 });
  const { width, height } = image;
  const pixelCount = width * height;
  const saliencyWeight = options.saliencyWeight ?? 0.6;
  const edgeWeight = options.edgeWeight ?? 0.2;
  const skinWeight = options.skinWeight ?? 0.2;
  const scale = image.data instanceof Float32Array ? 255 : 1;

  const lab = srgbToLab(image);
  const palette = borderPalette(lab, Math.max(2, Math.round(Math.min(width, height) * 0.04)));
  const saliency = new Float32Array(pixelCount);
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    let nearest = Infinity;
    for (let entry = 0; entry < palette.length; entry += 3) {
      const dl = lab.data[pixel * 3]! - palette[entry]!;
      const da = lab.data[pixel * 3 + 1]! - palette[entry + 1]!;
      const db = lab.data[pixel * 3 + 2]! - palette[entry + 2]!;
      nearest = Math.min(nearest, dl * dl + da * da + db * db);
    }
    saliency[pixel] = Math.sqrt(nearest);
  }
  normalizeInPlace(saliency, quantile(saliency, 0.95));

  const gray = toGray(image);
  const edges = sobelMagnitude(gray);
  const curvature = laplacian(gray, { isAbsolute: true });
  for (let pixel = 0; pixel < pixelCount; pixel++) edges.data[pixel] = edges.data[pixel]! + curvature.data[pixel]!;
  const edgeDensity = boxBlur(edges, { radiusPx: Math.max(1, Math.round(Math.min(width, height) * 0.03)) });
  normalizeInPlace(edgeDensity.data, quantile(edgeDensity.data, 0.95));

  const score = createFloatImage(width, height, 1);
  for (let y = 0; y < height; y++) {
    const dy = (y / height - 0.45) / 0.5;
    for (let x = 0; x < width; x++) {
      const pixel = y * width + x;
      const dx = (x / width - 0.5) / 0.38;
      const centre = Math.exp(-(dx * dx + dy * dy));
      const skin = isSkin(image.data[pixel * 3]! * scale, image.data[pixel * 3 + 1]! * scale, image.data[pixel * 3 + 2]! * scale) ? 1 : 0;
      const cue = saliencyWeight * saliency[pixel]! + edgeWeight * edgeDensity.data[pixel]! + skinWeight * skin;
      score.data[pixel] = cue * (0.35 + 0.65 * centre);
    }
  }
  const threshold = otsuThreshold(score.data);
  const mask = createFloatImage(width, height, 1);
  for (let pixel = 0; pixel < pixelCount; pixel++) mask.data[pixel] = score.data[pixel]! > threshold ? 1 : 0;
  keepSubjectRegions(mask);
  fillHoles(mask);

  // Plausibility is judged on the softened result, the one callers get: a scattered or thin region that passed
  // before softening can blur away to almost nothing (seen on noise), which must fall back as well.
  const softened = softenEdge(mask);
  if (isPlausibleCoverage(softened)) return softened;
  drawCentredEllipse(mask);
  return softenEdge(mask);
}

/** Soften the stair-stepped edge; tiny pictures have no room for it. */
function softenEdge(mask: AlphaMatte): AlphaMatte {
  const { width, height } = mask;
  return Math.min(width, height) < 32 ? mask : boxBlur(mask, { radiusPx: Math.max(1, Math.round(Math.min(width, height) / 160)) });
}

/** A subject covers more than a speck and less than the whole frame. */
function isPlausibleCoverage(matte: AlphaMatte): boolean {
  let covered = 0;
  for (const value of matte.data) covered += value > 0.5 ? 1 : 0;
  const coverage = covered / (matte.width * matte.height);
  return coverage >= 0.02 && coverage <= 0.95;
}

function normalizeInPlace(values: Float32Array, reference: number): void {
  const inverse = reference > 1e-6 ? 1 / reference : 0;
  for (let index = 0; index < values.length; index++) values[index] = Math.min(1, values[index]! * inverse);
}

/** Skin tones in YCbCr (Chai & Ngan's chroma box), on 0–255 samples. */
function isSkin(red: number, green: number, blue: number): boolean {
  const cb = 128 - 0.168736 * red - 0.331264 * green + 0.5 * blue;
  const cr = 128 + 0.5 * red - 0.418688 * green - 0.081312 * blue;
  return cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173;
}

function drawCentredEllipse(mask: AlphaMatte): void {
  const { width, height } = mask;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = ((x + 0.5) / width - 0.5) / 0.3;
      const dy = ((y + 0.5) / height - 0.55) / 0.45;
      mask.data[y * width + x] = dx * dx + dy * dy <= 1 ? 1 : 0;
    }
  }
}
