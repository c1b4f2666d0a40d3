/**
 * Maps full-size picture rectangles (where hand edits live) to preview pixels (where the composite lives), and cuts
 * the preview into tiles so a dab repaints only the tiles it touched.
 */
import type { DirtyRect } from '../../../core/matting/paintBrushDab';

/** Width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Side of a composite tile in preview pixels. */
export const previewTileSizePx = 64;

/**
 * For each preview column (or row), the full-size column it samples: the one under the preview pixel's centre.
 * Composition reads hand edits through these maps (nearest neighbour).
 */
export function sampleIndexMap(previewLength: number, fullLength: number): Int32Array {
  const map = new Int32Array(previewLength);
  const scale = fullLength / previewLength;
  for (let index = 0; index < previewLength; index++) map[index] = Math.min(fullLength - 1, Math.floor((index + 0.5) * scale));
  return map;
}

/** The preview pixel that shows the full-size pixel (`x`, `y`). */
export function fullToPreviewPoint(x: number, y: number, full: Size, preview: Size): { x: number; y: number } {
  return {
    x: Math.min(preview.width - 1, Math.max(0, Math.floor((x * preview.width) / full.width))),
    y: Math.min(preview.height - 1, Math.max(0, Math.floor((y * preview.height) / full.height))),
  };
}

/**
 * The preview rectangle whose pixels sample any full-size pixel of `rect`, grown by one pixel for rounding and
 * clamped to the preview; empty (`x1 <= x0`) when `rect` is empty or outside.
 */
export function fullRectToPreviewRect(rect: DirtyRect, full: Size, preview: Size): DirtyRect {
  if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  const scaleX = preview.width / full.width;
  const scaleY = preview.height / full.height;
  const x0 = Math.max(0, Math.floor(rect.x0 * scaleX) - 1);
  const y0 = Math.max(0, Math.floor(rect.y0 * scaleY) - 1);
  const x1 = Math.min(preview.width, Math.ceil(rect.x1 * scaleX) + 1);
  const y1 = Math.min(preview.height, Math.ceil(rect.y1 * scaleY) + 1);
  return x1 <= x0 || y1 <= y0 ? { x0: 0, y0: 0, x1: 0, y1: 0 } : { x0, y0, x1, y1 };
}

/** Keys (`tileY * columns + tileX`) of the preview tiles a preview rectangle overlaps. */
export function previewTileKeys(rect: DirtyRect, preview: Size, tileSizePx = previewTileSizePx): number[] {
  if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0) return [];
  const columns = Math.ceil(preview.width / tileSizePx);
  const keys: number[] = [];
  const lastX = Math.floor((Math.min(preview.width, rect.x1) - 1) / tileSizePx);
  const lastY = Math.floor((Math.min(preview.height, rect.y1) - 1) / tileSizePx);
  for (let tileY = Math.floor(Math.max(0, rect.y0) / tileSizePx); tileY <= lastY; tileY++) {
    for (let tileX = Math.floor(Math.max(0, rect.x0) / tileSizePx); tileX <= lastX; tileX++) keys.push(tileY * columns + tileX);
  }
  return keys;
}

/** The preview rectangle of the tile with `key`. */
export function previewTileRect(key: number, preview: Size, tileSizePx = previewTileSizePx): DirtyRect {
  const columns = Math.ceil(preview.width / tileSizePx);
  const x0 = (key % columns) * tileSizePx;
  const y0 = Math.floor(key / columns) * tileSizePx;
  return { x0, y0, x1: Math.min(preview.width, x0 + tileSizePx), y1: Math.min(preview.height, y0 + tileSizePx) };
}
