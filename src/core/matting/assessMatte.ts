import { assertImage, type AlphaMatte } from '../imageTypes';
import { resizeArea } from '../filters/resizeArea';
import { labelComponents } from '../morphology/labelComponents';

/** Options for {@link assessMatte}. */
export interface AssessMatteOptions {
  /** Below this share of foreground pixels the matte counts as empty. @default 0.005 */
  minCoverage?: number;
  /** Above this share the matte "covers nearly everything". @default 0.97 */
  maxCoverage?: number;
  /** A region smaller than this share of the image is noise, not a fragment. @default 0.002 */
  minFragmentShare?: number;
  /** More significant regions than this means the matte is badly fragmented. @default 16 */
  maxFragments?: number;
  /** The largest region must hold at least this share of all foreground. @default 0.2 */
  minLargestShare?: number;
  /**
   * Larger mattes are judged on an area-averaged copy whose long side is at most this (shares and region counts need
   * no more detail, and a 1024² model matte otherwise costs hundreds of milliseconds). @default 256
   */
  workingSizePx?: number;
}

/** The verdict on a matte: usable, or why not (in words a user can read in the result's tier note). */
export interface MatteAssessment {
  isUsable: boolean;
  /** Plain reason when not usable. */
  reason?: string;
  /** Share of pixels with alpha > 0.5. */
  coverage: number;
  /** Regions larger than `minFragmentShare`. */
  fragments: number;
}

/**
 * Quality check that decides whether a model's matte is kept or the next tier is tried:
 * empty, covering nearly everything, or badly fragmented mattes are rejected.
 */
export function assessMatte(matte: AlphaMatte, options: AssessMatteOptions = {}): MatteAssessment {
  assertImage(matte, 'alpha', { channels: 1 });
  const workingSize = options.workingSizePx ?? 256;
  const scale = Math.min(1, workingSize / Math.max(matte.width, matte.height));
  const alpha = scale < 1 ? resizeArea(matte, Math.max(1, Math.round(matte.width * scale)), Math.max(1, Math.round(matte.height * scale))) : matte;
  const minCoverage = options.minCoverage ?? 0.005;
  const maxCoverage = options.maxCoverage ?? 0.97;
  const minFragmentShare = options.minFragmentShare ?? 0.002;
  const maxFragments = options.maxFragments ?? 16;
  const minLargestShare = options.minLargestShare ?? 0.2;
  const pixelCount = alpha.width * alpha.height;
  let foreground = 0;
  for (let index = 0; index < pixelCount; index++) if (alpha.data[index]! > 0.5) foreground++;
  const coverage = foreground / pixelCount;
  if (coverage < minCoverage) return { isUsable: false, reason: 'the matte was empty', coverage, fragments: 0 };
  if (coverage > maxCoverage) return { isUsable: false, reason: 'the matte covered nearly the whole image', coverage, fragments: 1 };
  const { areas } = labelComponents(alpha);
  const minArea = minFragmentShare * pixelCount;
  let fragments = 0;
  let largest = 0;
  for (let id = 1; id < areas.length; id++) {
    if (areas[id]! >= minArea) fragments++;
    if (areas[id]! > largest) largest = areas[id]!;
  }
  if (fragments > maxFragments || largest < minLargestShare * foreground) {
    return { isUsable: false, reason: `the matte was badly fragmented (${fragments} separate regions)`, coverage, fragments };
  }
  return { isUsable: true, coverage, fragments };
}
