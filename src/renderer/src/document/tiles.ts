/**
 * Tile helpers for mask-edit history and storage. A mask edit is cut into a grid of square tiles (the last column
 * and row may be narrower); history records and files store only the tiles a gesture touched, never whole planes.
 */
import type { MaskEdit } from '../../../core/matting/maskEdit';
import type { DirtyRect } from '../../../core/matting/paintBrushDab';

/** Side of one tile in pixels. 128 keeps a tile (2 × 16 KiB) small next to a brush dab yet few per frame. */
export const tileSizePx = 128;

/** Where a tile sits in the grid; `key` is unique within one edit (`tileY * columns + tileX`). */
export interface TileCoordinate {
  readonly key: number;
  readonly tileX: number;
  readonly tileY: number;
}

/** A copy of one tile of both planes, row-major, `width × height` bytes each (the tile's own size). */
export interface TilePlanes {
  readonly add: Uint8Array;
  readonly remove: Uint8Array;
}

/** Number of tile columns for an edit `widthPx` wide. */
export function countTileColumns(widthPx: number): number {
  return Math.ceil(widthPx / tileSizePx);
}

/** The coordinate of the tile with grid position (`tileX`, `tileY`) in an edit `widthPx` wide. */
export function tileCoordinate(widthPx: number, tileX: number, tileY: number): TileCoordinate {
  return { key: tileY * countTileColumns(widthPx) + tileX, tileX, tileY };
}

/** The pixel rectangle `[x0, x1) × [y0, y1)` that a tile covers in an edit of the given size. */
export function tileRect(edit: Pick<MaskEdit, 'width' | 'height'>, tileX: number, tileY: number): DirtyRect {
  const x0 = tileX * tileSizePx;
  const y0 = tileY * tileSizePx;
  return { x0, y0, x1: Math.min(edit.width, x0 + tileSizePx), y1: Math.min(edit.height, y0 + tileSizePx) };
}

/** Every tile a rectangle overlaps, in row-major order; none for an empty or fully outside rectangle. */
export function tilesForRect(edit: Pick<MaskEdit, 'width' | 'height'>, rect: DirtyRect): TileCoordinate[] {
  const x0 = Math.max(0, rect.x0);
  const y0 = Math.max(0, rect.y0);
  const x1 = Math.min(edit.width, rect.x1);
  const y1 = Math.min(edit.height, rect.y1);
  if (x1 <= x0 || y1 <= y0) return [];
  const tiles: TileCoordinate[] = [];
  for (let tileY = Math.floor(y0 / tileSizePx); tileY <= Math.floor((y1 - 1) / tileSizePx); tileY++) {
    for (let tileX = Math.floor(x0 / tileSizePx); tileX <= Math.floor((x1 - 1) / tileSizePx); tileX++) {
      tiles.push(tileCoordinate(edit.width, tileX, tileY));
    }
  }
  return tiles;
}

/** Every tile of an edit, row-major. */
export function allTiles(edit: Pick<MaskEdit, 'width' | 'height'>): TileCoordinate[] {
  return tilesForRect(edit, { x0: 0, y0: 0, x1: edit.width, y1: edit.height });
}

/** Copies one tile of both planes out of an edit. */
export function readTile(edit: MaskEdit, tileX: number, tileY: number): TilePlanes {
  const rect = tileRect(edit, tileX, tileY);
  const tileWidth = rect.x1 - rect.x0;
  const add = new Uint8Array(tileWidth * (rect.y1 - rect.y0));
  const remove = new Uint8Array(add.length);
  for (let y = rect.y0; y < rect.y1; y++) {
    const start = y * edit.width + rect.x0;
    const offset = (y - rect.y0) * tileWidth;
    add.set(edit.add.subarray(start, start + tileWidth), offset);
    remove.set(edit.remove.subarray(start, start + tileWidth), offset);
  }
  return { add, remove };
}

/** Writes one tile of both planes into an edit; `null` clears the tile (history stores empty tiles as `null`). */
export function writeTile(edit: MaskEdit, tileX: number, tileY: number, tile: TilePlanes | null): void {
  const rect = tileRect(edit, tileX, tileY);
  const tileWidth = rect.x1 - rect.x0;
  const expectedBytes = tileWidth * (rect.y1 - rect.y0);
  if (tile && (tile.add.length !== expectedBytes || tile.remove.length !== expectedBytes)) {
    throw new RangeError(`Expected ${expectedBytes} bytes per plane for tile ${tileX},${tileY} but received ${tile.add.length}/${tile.remove.length}`);
  }
  for (let y = rect.y0; y < rect.y1; y++) {
    const start = y * edit.width + rect.x0;
    if (tile) {
      const offset = (y - rect.y0) * tileWidth;
      edit.add.set(tile.add.subarray(offset, offset + tileWidth), start);
      edit.remove.set(tile.remove.subarray(offset, offset + tileWidth), start);
    } else {
      edit.add.fill(0, start, start + tileWidth);
      edit.remove.fill(0, start, start + tileWidth);
    }
  }
}

/** True when neither plane of the tile holds a non-zero byte. */
export function isTileEmpty(tile: TilePlanes): boolean {
  for (let index = 0; index < tile.add.length; index++) if (tile.add[index] !== 0 || tile.remove[index] !== 0) return false;
  return true;
}

/** True when two tiles hold the same bytes (`null` stands for an empty tile). */
export function areTilesEqual(first: TilePlanes | null, second: TilePlanes | null): boolean {
  if (!first || !second) return (first ? isTileEmpty(first) : true) && (second ? isTileEmpty(second) : true);
  if (first.add.length !== second.add.length) return false;
  for (let index = 0; index < first.add.length; index++) {
    if (first.add[index] !== second.add[index] || first.remove[index] !== second.remove[index]) return false;
  }
  return true;
}

/** Bytes a tile copy holds in memory (both planes); `null` (an empty tile) costs nothing. */
export function tileByteSize(tile: TilePlanes | null): number {
  return tile ? tile.add.byteLength + tile.remove.byteLength : 0;
}
