/**
 * Where blur fusion has work to do. The small second stage changes nothing in a tile whose α is 1 throughout (the
 * result is the image) or 0 throughout, window margin included (the result is 0), so it runs only on the other,
 * "mixed" tiles; and the wide first stage is read only by those tiles' windows, so it too runs only there
 * (`blurFusionWhereNeeded.ts`). On a portrait the mixed tiles follow the outline and the hair: 221 of 510 tiles on the
 * 1080p fixture `u2_man5_curly_16x9` (its upsampled model matte, snapped to solid where its bytes are: `snapSolidAlpha.ts`).
 */
import type { PixelRegion } from './blurFusionStage';

/** Side of the tiles, in pixels. */
export const TILE_PX = 64;
/** α is 1 across the tile. */
export const TILE_OPAQUE = 0;
/** α is 0 across the tile and its window margin. */
export const TILE_CLEAR = 1;
/** Anything else: the second stage runs here. */
export const TILE_MIXED = 2;

/** Each tile's kind, row by row. */
export interface TileKinds {
  readonly columns: number;
  readonly rows: number;
  readonly kinds: Uint8Array;
}

/** Output column spans per row: row `y`'s spans are `[bounds[2k], bounds[2k + 1])` for `k` in `[rowStarts[y], rowStarts[y + 1])`. */
export interface RowSpans {
  readonly rowStarts: Int32Array;
  readonly bounds: Int32Array;
}

/**
 * Sorts the tiles of a `width × height` matte by kind.
 * @param before Pixels the second stage's window reaches before (left of and above) a pixel.
 * @param after Pixels it reaches after.
 */
export function classifyTiles(alpha: Float32Array, width: number, height: number, before: number, after: number): TileKinds {
  const columns = Math.ceil(width / TILE_PX);
  const rows = Math.ceil(height / TILE_PX);
  const kinds = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const region = tileRegion(column, row, width, height);
      kinds[row * columns + column] = minimumAlpha(alpha, width, region) >= 1
        ? TILE_OPAQUE
        : maximumAlpha(alpha, width, expandRegion(region, width, height, before, after)) <= 0 ? TILE_CLEAR : TILE_MIXED;
    }
  }
  return { columns, rows, kinds };
}

/** The output pixels of tile (`column`, `row`). */
export function tileRegion(column: number, row: number, width: number, height: number): PixelRegion {
  const x0 = column * TILE_PX;
  const y0 = row * TILE_PX;
  return { x0, x1: Math.min(width, x0 + TILE_PX), y0, y1: Math.min(height, y0 + TILE_PX) };
}

/** A region grown by a window's reach, clipped to the picture (a reflected border reads inside the grown region). */
function expandRegion(region: PixelRegion, width: number, height: number, before: number, after: number): PixelRegion {
  return { x0: Math.max(0, region.x0 - before), x1: Math.min(width, region.x1 + after), y0: Math.max(0, region.y0 - before), y1: Math.min(height, region.y1 + after) };
}

/**
 * The pixels the second stage reads (every mixed tile grown by its window's reach), as spans per row. Spans closer
 * than `bridgePx` are joined: sliding the first stage's window across a short gap costs less than starting it again.
 */
export function mixedTileSpans(tiles: TileKinds, width: number, height: number, before: number, after: number, bridgePx: number): RowSpans {
  const rowStarts = new Int32Array(height + 1);
  const bounds: number[] = [];
  for (let y = 0; y < height; y++) {
    rowStarts[y] = bounds.length / 2;
    // Tile rows whose grown region covers y: the one holding y, and a neighbour within the window's reach.
    const firstRow = Math.max(0, Math.floor((y - after) / TILE_PX));
    const lastRow = Math.min(tiles.rows - 1, Math.floor((y + before) / TILE_PX));
    for (let column = 0; column < tiles.columns; column++) {
      let isMixed = false;
      for (let row = firstRow; row <= lastRow && !isMixed; row++) isMixed = tiles.kinds[row * tiles.columns + column] === TILE_MIXED;
      if (!isMixed) continue;
      const x0 = Math.max(0, column * TILE_PX - before);
      const x1 = Math.min(width, (column + 1) * TILE_PX + after);
      const last = bounds.length - 1;
      if (bounds.length / 2 > rowStarts[y]! && x0 - bounds[last]! < bridgePx) bounds[last] = Math.max(bounds[last]!, x1);
      else bounds.push(x0, x1);
    }
  }
  rowStarts[height] = bounds.length / 2;
  return { rowStarts, bounds: Int32Array.from(bounds) };
}

/** Smallest α in the region. */
function minimumAlpha(alpha: Float32Array, width: number, region: PixelRegion): number {
  let minimum = Infinity;
  for (let y = region.y0; y < region.y1; y++) {
    for (let pixel = y * width + region.x0, end = y * width + region.x1; pixel < end; pixel++) minimum = Math.min(minimum, alpha[pixel]!);
  }
  return minimum;
}

/** Largest α in the region. */
function maximumAlpha(alpha: Float32Array, width: number, region: PixelRegion): number {
  let maximum = -Infinity;
  for (let y = region.y0; y < region.y1; y++) {
    for (let pixel = y * width + region.x0, end = y * width + region.x1; pixel < end; pixel++) maximum = Math.max(maximum, alpha[pixel]!);
  }
  return maximum;
}
