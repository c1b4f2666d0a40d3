/**
 * Tile helpers for mask-edit history and storage. A mask edit is cut into a grid of square tiles (the last column
 * and row may be narrower); history records and files store only the tiles a gesture touched, never whole planes.
 */
import type { MaskEdit } from '../../../core/matting/maskEdit';
import type { DirtyRect } from '../../../core/matting/paintBrushDab';

/** Side of one tile in pixels. 128 keeps a tile (3 × 16 KiB) small next to a brush dab yet few per frame. */
export const tileSizePx = 128;

/** Where a tile sits in the grid; `key` is unique within one edit (`tileY * columns + tileX`). */
export interface TileCoordinate {
  readonly key: number;
  readonly tileX: number;
  readonly tileY: number;
}

/**
 * A copy of one tile of the three planes, row-major, `width × height` bytes each (the tile's own size). In history
 * entries an all-zero plane is kept as zero bytes ({@link compactTile}): most strokes touch one or two planes.
 */
export interface TilePlanes {
  readonly add: Uint8Array;
  readonly remove: Uint8Array;
  /** The Refine Edge brush's marks. */
  readonly refineEdge: Uint8Array;
}

/** The planes of a tile, in the order tile helpers walk them. */
const planeNames = ['add', 'remove', 'refineEdge'] as const;

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

/** Copies one tile of the three planes out of an edit. */
export function readTile(edit: MaskEdit, tileX: number, tileY: number): TilePlanes {
  const rect = tileRect(edit, tileX, tileY);
  const tileWidth = rect.x1 - rect.x0;
  const bytes = tileWidth * (rect.y1 - rect.y0);
  const tile = { add: new Uint8Array(bytes), remove: new Uint8Array(bytes), refineEdge: new Uint8Array(bytes) };
  for (let y = rect.y0; y < rect.y1; y++) {
    const start = y * edit.width + rect.x0;
    const offset = (y - rect.y0) * tileWidth;
    for (const name of planeNames) tile[name].set(edit[name].subarray(start, start + tileWidth), offset);
  }
  return tile;
}

/** Writes one tile of the three planes into an edit; `null` clears the tile (history stores empty tiles as `null`). */
export function writeTile(edit: MaskEdit, tileX: number, tileY: number, tile: TilePlanes | null): void {
  const rect = tileRect(edit, tileX, tileY);
  const tileWidth = rect.x1 - rect.x0;
  const expectedBytes = tileWidth * (rect.y1 - rect.y0);
  if (tile && planeNames.some((name) => tile[name].length !== expectedBytes && tile[name].length !== 0)) {
    throw new RangeError(`Expected ${expectedBytes} bytes per plane for tile ${tileX},${tileY} but received ${planeNames.map((name) => tile[name].length).join('/')}`);
  }
  for (let y = rect.y0; y < rect.y1; y++) {
    const start = y * edit.width + rect.x0;
    const offset = (y - rect.y0) * tileWidth;
    for (const name of planeNames) {
      if (tile && tile[name].length > 0) edit[name].set(tile[name].subarray(offset, offset + tileWidth), start);
      else edit[name].fill(0, start, start + tileWidth);
    }
  }
}

/** The tile with every all-zero plane replaced by zero bytes (what history entries keep). */
export function compactTile(tile: TilePlanes): TilePlanes {
  const compact = (plane: Uint8Array) => (isPlaneEmpty(plane) ? new Uint8Array(0) : plane);
  return { add: compact(tile.add), remove: compact(tile.remove), refineEdge: compact(tile.refineEdge) };
}

/** True when no plane of the tile holds a non-zero byte. */
export function isTileEmpty(tile: TilePlanes): boolean {
  return planeNames.every((name) => isPlaneEmpty(tile[name]));
}

/** True when a plane holds only zero bytes. */
export function isPlaneEmpty(plane: Uint8Array): boolean {
  for (let index = 0; index < plane.length; index++) if (plane[index] !== 0) return false;
  return true;
}

/** True when two tiles hold the same bytes (`null` stands for an empty tile). */
export function areTilesEqual(first: TilePlanes | null, second: TilePlanes | null): boolean {
  return planeNames.every((name) => arePlanesEqual(first?.[name], second?.[name]));
}

/**
 * True when the Refine Edge marks of two tiles differ (`null` is an empty tile): such a change needs a new engine
 * preview, since the engine re-solves alpha under the marks; add/subtract changes the renderer composes itself.
 */
export function isRefineEdgeChanged(before: TilePlanes | null, after: TilePlanes | null): boolean {
  return !arePlanesEqual(before?.refineEdge, after?.refineEdge);
}

/** True when two planes hold the same bytes (`undefined` or zero bytes stand for an all-zero plane). */
function arePlanesEqual(first: Uint8Array | undefined, second: Uint8Array | undefined): boolean {
  if (!first?.length || !second?.length) return (first ? isPlaneEmpty(first) : true) && (second ? isPlaneEmpty(second) : true);
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) if (first[index] !== second[index]) return false;
  return true;
}

/** Bytes a tile copy holds in memory (all planes); `null` (an empty tile) and compacted planes cost nothing. */
export function tileByteSize(tile: TilePlanes | null): number {
  return tile ? planeNames.reduce((total, name) => total + tile[name].byteLength, 0) : 0;
}
