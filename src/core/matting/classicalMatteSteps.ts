import type { AlphaMatte, FloatImage } from '../imageTypes';
import { labelComponents } from '../morphology/labelComponents';

/**
 * Up to eight representative Lab colours of the image border (a strip `stripPx` wide; the middle of the bottom edge
 * is left out), found with a few rounds of
 * k-means seeded along the border. Returned flat: `[L, a, b, L, a, b, …]`.
 */
export function borderPalette(lab: FloatImage, stripPx: number, clusters = 8): Float32Array {
  const { width, height } = lab;
  const samples: number[] = [];
  const step = Math.max(1, Math.floor((2 * (width + height)) / 2000));
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const isInterior = x >= stripPx && x < width - stripPx && y >= stripPx;
      // A portrait's subject usually touches the bottom edge: only its outer corners count as background there.
      const isBottomMiddle = y >= height - stripPx && x >= width * 0.15 && x < width * 0.85;
      if ((isInterior && y < height - stripPx) || isBottomMiddle) continue;
      const index = (y * width + x) * 3;
      samples.push(lab.data[index]!, lab.data[index + 1]!, lab.data[index + 2]!);
    }
  }
  const sampleCount = samples.length / 3;
  const count = Math.min(clusters, sampleCount);
  const centres = new Float32Array(count * 3);
  for (let cluster = 0; cluster < count; cluster++) {
    const source = Math.floor(((cluster + 0.5) * sampleCount) / count) * 3;
    centres.set(samples.slice(source, source + 3), cluster * 3);
  }
  const sums = new Float64Array(count * 4);
  for (let round = 0; round < 6; round++) {
    sums.fill(0);
    for (let sample = 0; sample < sampleCount; sample++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let cluster = 0; cluster < count; cluster++) {
        let distance = 0;
        for (let axis = 0; axis < 3; axis++) distance += (samples[sample * 3 + axis]! - centres[cluster * 3 + axis]!) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [cluster, distance];
      }
      for (let axis = 0; axis < 3; axis++) sums[best * 4 + axis]! += samples[sample * 3 + axis]!;
      sums[best * 4 + 3]! += 1;
    }
    for (let cluster = 0; cluster < count; cluster++) {
      const members = sums[cluster * 4 + 3]!;
      if (members > 0) for (let axis = 0; axis < 3; axis++) centres[cluster * 3 + axis] = sums[cluster * 4 + axis]! / members;
    }
  }
  return centres;
}

/** The value below which `fraction` of the samples lie (histogram estimate over [0, max]). */
export function quantile(values: Float32Array, fraction: number): number {
  let max = 0;
  for (let index = 0; index < values.length; index++) if (values[index]! > max) max = values[index]!;
  if (max <= 0) return 0;
  const bins = new Uint32Array(1024);
  for (let index = 0; index < values.length; index++) bins[Math.min(1023, Math.floor((values[index]! / max) * 1024))]!++;
  let seen = 0;
  const target = fraction * values.length;
  for (let bin = 0; bin < 1024; bin++) {
    seen += bins[bin]!;
    if (seen >= target) return ((bin + 1) / 1024) * max;
  }
  return max;
}

/** Otsu's threshold of values in [0, 1] (256-bin histogram). */
export function otsuThreshold(values: Float32Array): number {
  const histogram = new Float64Array(256);
  for (let index = 0; index < values.length; index++) histogram[Math.min(255, Math.max(0, Math.floor(values[index]! * 256)))]!++;
  let total = 0;
  for (let bin = 0; bin < 256; bin++) total += bin * histogram[bin]!;
  let backgroundWeight = 0;
  let backgroundSum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let bin = 0; bin < 256; bin++) {
    backgroundWeight += histogram[bin]!;
    if (backgroundWeight === 0) continue;
    const foregroundWeight = values.length - backgroundWeight;
    if (foregroundWeight === 0) break;
    backgroundSum += bin * histogram[bin]!;
    const meanDifference = backgroundSum / backgroundWeight - (total - backgroundSum) / foregroundWeight;
    const variance = backgroundWeight * foregroundWeight * meanDifference * meanDifference;
    if (variance > bestVariance) [bestVariance, best] = [variance, bin];
  }
  return (best + 1) / 256;
}

/**
 * Keeps the regions that make up the subject: the largest region and any region at least a fifth of its size
 * (several people in a group photo), dropping specks.
 */
export function keepSubjectRegions(mask: AlphaMatte): void {
  const { labels, areas } = labelComponents(mask);
  let largest = 0;
  for (let id = 1; id < areas.length; id++) largest = Math.max(largest, areas[id]!);
  for (let pixel = 0; pixel < mask.data.length; pixel++) {
    const id = labels[pixel]!;
    if (id !== 0 && areas[id]! < largest * 0.2) mask.data[pixel] = 0;
  }
}

/** Fills background regions that do not touch the image border (holes inside the subject). */
export function fillHoles(mask: AlphaMatte): void {
  const { width, height } = mask;
  const inverse: AlphaMatte = { width, height, channels: 1, data: new Float32Array(mask.data.length) };
  for (let pixel = 0; pixel < mask.data.length; pixel++) inverse.data[pixel] = 1 - mask.data[pixel]!;
  const { labels, areas } = labelComponents(inverse);
  const touchesBorder = new Uint8Array(areas.length);
  for (let x = 0; x < width; x++) {
    touchesBorder[labels[x]!] = 1;
    touchesBorder[labels[(height - 1) * width + x]!] = 1;
  }
  for (let y = 0; y < height; y++) {
    touchesBorder[labels[y * width]!] = 1;
    touchesBorder[labels[y * width + width - 1]!] = 1;
  }
  for (let pixel = 0; pixel < mask.data.length; pixel++) {
    const id = labels[pixel]!;
    if (id !== 0 && !touchesBorder[id]) mask.data[pixel] = 1;
  }
}
