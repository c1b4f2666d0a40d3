import { assertImage, expectation, type FloatImage } from '../imageTypes';

/** Options for {@link labelComponents}. */
export interface LabelComponentsOptions {
  /** A pixel belongs to the foreground when its value is above this. @default 0.5 */
  threshold?: number;
}

/** Connected regions of a one-channel image. */
export interface ComponentLabels {
  /** Per pixel: 0 for background, otherwise the 1-based component id. */
  labels: Int32Array;
  /** Pixel count per component; index 0 is unused (background). */
  areas: number[];
}

/**
 * Labels 4-connected regions of pixels above `threshold` with an iterative flood fill (no recursion, so large
 * regions cannot overflow the stack).
 */
export function labelComponents(image: FloatImage, options: LabelComponentsOptions = {}): ComponentLabels {
  assertImage(image, 'image', { channels: 1 });
  const threshold = options.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) throw new RangeError(expectation('a finite threshold', 'options.threshold', threshold));
  const { width, height, data } = image;
  const labels = new Int32Array(width * height);
  const areas: number[] = [0];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== 0 || !(data[start]! > threshold)) continue;
    const id = areas.length;
    let area = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const index = stack[--top]!;
      area++;
      const x = index % width;
      // Neighbours inline (no closure per region: this loop runs once per foreground pixel).
      const left = index - 1;
      const right = index + 1;
      const up = index - width;
      const down = index + width;
      if (x > 0 && labels[left] === 0 && data[left]! > threshold) {
        labels[left] = id;
        stack[top++] = left;
      }
      if (x < width - 1 && labels[right] === 0 && data[right]! > threshold) {
        labels[right] = id;
        stack[top++] = right;
      }
      if (up >= 0 && labels[up] === 0 && data[up]! > threshold) {
        labels[up] = id;
        stack[top++] = up;
      }
      if (down < data.length && labels[down] === 0 && data[down]! > threshold) {
        labels[down] = id;
        stack[top++] = down;
      }
    }
    areas.push(area);
  }
  return { labels, areas };
}
