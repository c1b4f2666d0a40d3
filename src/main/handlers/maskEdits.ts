/**
 * The artist's hand edits as the engine keeps them: one MaskEdit per (item, frame), built from the tiles the
 * renderer sends (base64 planes of `tileSizePx` squares, the last column and row narrower; `''` or absent = all
 * zero). Exports apply them on top of the refined matte, resampled (nearest) should an edit's size differ from the
 * picture's; their Refine Edge marks widen the edge band of exports and previews alike.
 */
import type { ImageBuffer } from '../../core/imageTypes';
import { createMaskEdit, isMaskEditEmpty, refineEdgeMaskOf, type MaskEdit } from '../../core/matting/maskEdit';
import { StudioError } from '../../shared/errors';

/** Tiles of one frame, as `setMaskEdit` receives them. */
export interface MaskTiles {
  width: number;
  height: number;
  tileSizePx: number;
  /** `refineEdge` is absent in edits from before the Refine Edge brush (and where a frame has no marks). */
  tiles: Array<{ tileX: number; tileY: number; add: string; remove: string; refineEdge?: string }>;
}

/** Largest edit accepted (pixels), so a bad request cannot ask for gigabytes. */
const maximumPixels = 2 ** 28;

/** Builds a MaskEdit from tiles; `INVALID_INPUT` when a tile lies outside or holds the wrong number of bytes. */
export function maskEditFromTiles(input: MaskTiles): MaskEdit {
  const { width, height, tileSizePx } = input;
  if (width * height > maximumPixels) throw invalid(`the edit is ${width}×${height} pixels, larger than any picture`);
  const edit = createMaskEdit(width, height);
  for (const tile of input.tiles) {
    const x0 = tile.tileX * tileSizePx;
    const y0 = tile.tileY * tileSizePx;
    if (x0 >= width || y0 >= height) throw invalid(`tile ${tile.tileX},${tile.tileY} lies outside the ${width}×${height} picture`);
    const tileWidth = Math.min(width, x0 + tileSizePx) - x0;
    const tileHeight = Math.min(height, y0 + tileSizePx) - y0;
    const add = decodePlane(tile.add, tileWidth * tileHeight, tile);
    const remove = decodePlane(tile.remove, tileWidth * tileHeight, tile);
    const refineEdge = decodePlane(tile.refineEdge ?? '', tileWidth * tileHeight, tile);
    for (let row = 0; row < tileHeight; row++) {
      const target = (y0 + row) * width + x0;
      const source = [row * tileWidth, (row + 1) * tileWidth] as const;
      if (add) edit.add.set(add.subarray(...source), target);
      if (remove) edit.remove.set(remove.subarray(...source), target);
      if (refineEdge) edit.refineEdge.set(refineEdge.subarray(...source), target);
    }
  }
  return edit;
}

/** The edit at `width × height`: itself when the size matches, else a nearest-neighbour resample. */
export function fitMaskEdit(edit: MaskEdit, width: number, height: number): MaskEdit {
  if (edit.width === width && edit.height === height) return edit;
  const fitted = createMaskEdit(width, height);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.min(edit.height - 1, Math.floor(((y + 0.5) * edit.height) / height)) * edit.width;
    for (let x = 0; x < width; x++) {
      const source = sourceRow + Math.min(edit.width - 1, Math.floor(((x + 0.5) * edit.width) / width));
      fitted.add[y * width + x] = edit.add[source]!;
      fitted.remove[y * width + x] = edit.remove[source]!;
      fitted.refineEdge[y * width + x] = edit.refineEdge[source]!;
    }
  }
  return fitted;
}

/** Hand edits per (item, frame). */
export class MaskEditStore {
  private readonly edits = new Map<string, MaskEdit>();

  /** Replaces the edit of one frame; `null` or an edit that changes nothing clears it. */
  set(itemId: string, frameIndex: number, edit: MaskEdit | null): void {
    const key = `${itemId}:${frameIndex}`;
    if (edit && !isMaskEditEmpty(edit)) this.edits.set(key, edit);
    else this.edits.delete(key);
  }

  /** The edit of one frame at the given size, or undefined when the frame has none. */
  get(itemId: string, frameIndex: number, width: number, height: number): MaskEdit | undefined {
    const edit = this.edits.get(`${itemId}:${frameIndex}`);
    return edit && fitMaskEdit(edit, width, height);
  }

  /**
   * The frame's Refine Edge marks at the given size as the edge-band solver takes them (previews ask at their own,
   * smaller size), or undefined when the frame has none.
   */
  refineEdgeMask(itemId: string, frameIndex: number, width: number, height: number): ImageBuffer<Uint8Array> | undefined {
    const edit = this.edits.get(`${itemId}:${frameIndex}`);
    const mask = edit && refineEdgeMaskOf(edit);
    return mask && fitPlane(mask, width, height);
  }

  /** Every non-empty edit of one item, at the size the renderer sent it (projects save these). */
  *ofItem(itemId: string): Generator<{ frameIndex: number; edit: MaskEdit }> {
    for (const [key, edit] of this.edits) {
      const colon = key.lastIndexOf(':');
      if (key.slice(0, colon) === itemId) yield { frameIndex: Number(key.slice(colon + 1)), edit };
    }
  }

  /** Forgets every edit of one item (before a project loads its own). */
  clearItem(itemId: string): void {
    for (const { frameIndex } of [...this.ofItem(itemId)]) this.edits.delete(`${itemId}:${frameIndex}`);
  }
}

/** A one-channel plane at `width × height`: itself when the size matches, else a nearest-neighbour resample. */
function fitPlane(plane: ImageBuffer<Uint8Array>, width: number, height: number): ImageBuffer<Uint8Array> {
  if (plane.width === width && plane.height === height) return plane;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.min(plane.height - 1, Math.floor(((y + 0.5) * plane.height) / height)) * plane.width;
    for (let x = 0; x < width; x++) data[y * width + x] = plane.data[sourceRow + Math.min(plane.width - 1, Math.floor(((x + 0.5) * plane.width) / width))]!;
  }
  return { width, height, channels: 1, data };
}

function decodePlane(text: string, bytes: number, tile: { tileX: number; tileY: number }): Uint8Array | undefined {
  if (text === '') return undefined;
  const plane = Buffer.from(text, 'base64');
  if (plane.length !== bytes) throw invalid(`tile ${tile.tileX},${tile.tileY} holds ${plane.length} bytes instead of ${bytes}`);
  return new Uint8Array(plane.buffer, plane.byteOffset, plane.length);
}

function invalid(detail: string): StudioError {
  return new StudioError('INVALID_INPUT', 'The hand edit could not be read and was not saved.', detail);
}
