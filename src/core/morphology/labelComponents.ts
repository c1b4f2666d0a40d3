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
      if (x > 0) top = visit(index - 1, top);
      if (x < width - 1) top = visit(index + 1, top);
      if (index >= width) top = visit(index - width, top);
      if (index < data.length - width) top = visit(index + width, top);
    }
    areas.push(area);

    function visit(neighbor: number, stackTop: number): number {
      if (labels[neighbor] === 0 && data[neighbor]! > threshold) {
        labels[neighbor] = id;
        stack[stackTop++] = neighbor;
      }
      return stackTop;
    }
  }
  return { labels, areas };
}
