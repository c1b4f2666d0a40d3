/**
 * Border handling shared by the filters: OpenCV's `BORDER_REFLECT_101` (`gfedcb|abcdefgh|gfedcba`),
 * the default border of `cv2.blur`, `cv2.Sobel` and `cv2.Laplacian`.
 */

/**
 * Maps a coordinate outside `[0, length)` back inside by reflecting about the edge pixels, repeating the
 * reflection as often as needed (as `cv::borderInterpolate` does when a kernel is larger than the image).
 * @param position Any integer coordinate.
 * @param length Number of pixels along the axis (≥ 1).
 * @returns A coordinate in `[0, length)`.
 */
export function reflect101(position: number, length: number): number {
  if (length === 1) return 0;
  let p = position;
  while (p < 0 || p >= length) p = p < 0 ? -p : 2 * length - 2 - p;
  return p;
}

/**
 * Precomputes the source coordinate of every position a sliding window of `kernelSize` pixels visits along an
 * axis, so per-pixel loops index an `Int32Array` instead of branching on borders.
 * Entry `e` is the source of padded position `e - anchor`, for `e` in `[0, length + kernelSize - 1)`; the window
 * of output pixel `x` covers entries `x … x + kernelSize - 1`.
 * @param length Number of pixels along the axis (≥ 1).
 * @param kernelSize Window size in pixels (≥ 1).
 * @param anchor Offset of the output pixel inside the window; OpenCV's default is `floor(kernelSize / 2)`.
 */
export function reflectIndexMap(length: number, kernelSize: number, anchor: number): Int32Array {
  const map = new Int32Array(length + kernelSize - 1);
  for (let entry = 0; entry < map.length; entry++) map[entry] = reflect101(entry - anchor, length);
  return map;
}
