import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { paintBrushDab } from '../../../core/matting/paintBrushDab';
import { predictDabRect } from './brushStroke';
import { allTiles, areTilesEqual, compactTile, countTileColumns, isRefineEdgeChanged, readTile, tileByteSize, tileRect, tilesForRect, writeTile } from './tiles';

describe('tiles', () => {
  it('lists the tiles a rectangle overlaps, clipped to the picture', () => {
    const edit = { width: 300, height: 200 };
    expect(countTileColumns(300)).toBe(3);
    expect(tilesForRect(edit, { x0: 120, y0: 120, x1: 140, y1: 130 })).toEqual([
      { key: 0, tileX: 0, tileY: 0 }, { key: 1, tileX: 1, tileY: 0 }, { key: 3, tileX: 0, tileY: 1 }, { key: 4, tileX: 1, tileY: 1 },
    ]);
    expect(tilesForRect(edit, { x0: 128, y0: 0, x1: 129, y1: 1 })).toEqual([{ key: 1, tileX: 1, tileY: 0 }]);
    expect(tilesForRect(edit, { x0: 5, y0: 5, x1: 5, y1: 50 })).toEqual([]);
    expect(tilesForRect(edit, { x0: 400, y0: 0, x1: 500, y1: 10 })).toEqual([]);
    expect(allTiles(edit)).toHaveLength(6);
    expect(tileRect(edit, 2, 1)).toEqual({ x0: 256, y0: 128, x1: 300, y1: 200 });
  });

  it('reads and writes a narrow edge tile without touching its neighbours', () => {
    const edit = createMaskEdit(300, 200);
    edit.add.fill(7);
    const tile = { add: new Uint8Array(44 * 72).fill(200), remove: new Uint8Array(44 * 72).fill(1), refineEdge: new Uint8Array(44 * 72).fill(9) };
    writeTile(edit, 2, 1, tile);
    expect(areTilesEqual(readTile(edit, 2, 1), tile)).toBe(true);
    expect(edit.add[199 * 300 + 255]).toBe(7);
    expect(edit.add[127 * 300 + 299]).toBe(7);
    expect(edit.add[128 * 300 + 256]).toBe(200);
    expect(edit.refineEdge[128 * 300 + 256]).toBe(9);
    expect(edit.refineEdge[127 * 300 + 299]).toBe(0);
    writeTile(edit, 2, 1, null);
    expect(edit.refineEdge[128 * 300 + 256]).toBe(0);
    expect(areTilesEqual(readTile(edit, 2, 1), null)).toBe(true);
    expect(tileByteSize(tile)).toBe(3 * 44 * 72);
    expect(tileByteSize(null)).toBe(0);
    expect(() => writeTile(edit, 0, 0, tile)).toThrow(RangeError);
  });

  it('tells a change of the Refine Edge marks from a change of the matte planes only', () => {
    const empty = () => ({ add: new Uint8Array(4), remove: new Uint8Array(4), refineEdge: new Uint8Array(4) });
    const marked = { ...empty(), refineEdge: Uint8Array.from([0, 255, 0, 0]) };
    const added = { ...empty(), add: Uint8Array.from([255, 0, 0, 0]) };
    expect(isRefineEdgeChanged(null, marked)).toBe(true);
    expect(isRefineEdgeChanged(marked, { ...added, refineEdge: marked.refineEdge })).toBe(false);
    expect(isRefineEdgeChanged(null, added)).toBe(false);
    expect(isRefineEdgeChanged(empty(), null)).toBe(false);
    expect(areTilesEqual(marked, null)).toBe(false);
    expect(areTilesEqual(empty(), null)).toBe(true);
  });

  it('a compacted tile keeps no bytes for its all-zero planes and writes the same pixels', () => {
    const edit = createMaskEdit(300, 200);
    edit.remove.fill(3);
    const tile = { add: new Uint8Array(44 * 72), remove: new Uint8Array(44 * 72), refineEdge: new Uint8Array(44 * 72).fill(200) };
    const compact = compactTile(tile);
    expect([compact.add.length, compact.remove.length, tileByteSize(compact)]).toEqual([0, 0, 44 * 72]);
    expect(areTilesEqual(compact, tile)).toBe(true);
    writeTile(edit, 2, 1, compact);
    expect(areTilesEqual(readTile(edit, 2, 1), tile)).toBe(true);
    expect(edit.remove[128 * 300 + 256]).toBe(0);
    expect(edit.remove[127 * 300 + 256]).toBe(3);
  });

  it('the predicted dab rectangle always contains what paintBrushDab touches', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 350, noNaN: true }), fc.double({ min: -50, max: 250, noNaN: true }), fc.double({ min: 0.1, max: 300, noNaN: true }),
        (x, y, sizePx) => {
          const edit = createMaskEdit(300, 200);
          const predicted = predictDabRect(edit, { x, y, sizePx, mode: 'add' });
          const touched = paintBrushDab(edit, { x, y, sizePx, mode: 'add' });
          if (touched.x1 <= touched.x0 || touched.y1 <= touched.y0) return;
          expect(touched.x0 >= predicted.x0 && touched.y0 >= predicted.y0 && touched.x1 <= predicted.x1 && touched.y1 <= predicted.y1).toBe(true);
        },
      ),
    );
  });
});
