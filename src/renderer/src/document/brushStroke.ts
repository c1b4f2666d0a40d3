/**
 * The open brush stroke: paints dabs into one frame's edit and remembers, for every tile a dab first touches, the
 * tile's bytes from before the stroke, so the history can record a tile diff on pointer-up or roll back on Escape.
 */
import type { MaskEdit } from '../../../core/matting/maskEdit';
import { paintBrushDab, type BrushDab, type DirtyRect } from '../../../core/matting/paintBrushDab';
import type { BrushSettings } from './documentStore';
import type { TileChange } from './historyEntries';
import { areTilesEqual, compactTile, isTileEmpty, readTile, tilesForRect, type TileCoordinate, type TilePlanes } from './tiles';

/** Which plane a stroke paints: the matte (add/subtract brush) or the Refine Edge marks. */
export type StrokePlane = 'matte' | 'refineEdge';

/** What one stroke paints: its plane, and whether it raises (`add`) or lowers (`subtract`) it. */
export interface StrokeTarget {
  readonly plane: StrokePlane;
  readonly mode: 'add' | 'subtract';
}

/** A stroke between pointer-down and pointer-up. */
export interface OpenStroke {
  readonly itemId: string;
  readonly frameIndex: number;
  /** One gesture paints one plane: every dab of the stroke goes there. */
  readonly plane: StrokePlane;
  readonly edit: MaskEdit;
  /** Before bytes of every tile a dab has touched, by tile key. */
  readonly before: Map<number, { tile: TileCoordinate; planes: TilePlanes }>;
}

/** Builds a dab at image position (`x`, `y`) from the brush panel's settings (the matte brush's mode by default). */
export function createBrushDab(brush: BrushSettings, x: number, y: number, pressure = 1, target: StrokeTarget = { plane: 'matte', mode: brush.mode }): BrushDab {
  return { x, y, sizePx: brush.sizePx, hardness: brush.hardness, opacity: brush.opacity, pressure, mode: target.mode, plane: target.plane };
}

/**
 * The rectangle `paintBrushDab` will touch, known before painting so the before bytes can be copied first.
 * Mirrors its bounds arithmetic; {@link paintStrokeDab} checks the actual rectangle against it.
 */
export function predictDabRect(edit: Pick<MaskEdit, 'width' | 'height'>, dab: BrushDab): DirtyRect {
  const radius = dab.sizePx / 2;
  return {
    x0: Math.max(0, Math.floor(dab.x - radius)),
    y0: Math.max(0, Math.floor(dab.y - radius)),
    x1: Math.min(edit.width, Math.ceil(dab.x + radius)),
    y1: Math.min(edit.height, Math.ceil(dab.y + radius)),
  };
}

/** Paints one dab, first copying the before bytes of tiles this stroke has not touched yet. */
export function paintStrokeDab(stroke: OpenStroke, dab: BrushDab): DirtyRect {
  const { edit, before } = stroke;
  for (const tile of tilesForRect(edit, predictDabRect(edit, dab))) {
    if (!before.has(tile.key)) before.set(tile.key, { tile, planes: readTile(edit, tile.tileX, tile.tileY) });
  }
  const rect = paintBrushDab(edit, { ...dab, plane: stroke.plane });
  if (tilesForRect(edit, rect).some((tile) => !before.has(tile.key))) {
    throw new Error('paintBrushDab touched a tile outside the predicted rectangle; predictDabRect must mirror it');
  }
  return rect;
}

/** The before/after bytes of the tiles the stroke changed; empty tiles become `null` and empty planes zero bytes. */
export function collectStrokeChanges(stroke: OpenStroke): TileChange[] {
  const changes: TileChange[] = [];
  for (const { tile, planes } of stroke.before.values()) {
    const after = readTile(stroke.edit, tile.tileX, tile.tileY);
    // A dab may cover a tile without changing a byte (zero opacity, already saturated): keep only real changes.
    if (areTilesEqual(planes, after)) continue;
    changes.push({ tile, before: isTileEmpty(planes) ? null : compactTile(planes), after: isTileEmpty(after) ? null : compactTile(after) });
  }
  return changes;
}
