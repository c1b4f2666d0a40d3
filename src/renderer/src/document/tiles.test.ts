import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { paintBrushDab } from '../../../core/matting/paintBrushDab';
import { predictDabRect } from './brushStroke';
import { allTiles, areTilesEqual, countTileColumns, readTile, tileByteSize, tileRect, tilesForRect, writeTile } from './tiles';

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
    const tile = { add: new Uint8Array(44 * 72).fill(200), remove: new Uint8Array(44 * 72).fill(1) };
    writeTile(edit, 2, 1, tile);
    expect(areTilesEqual(readTile(edit, 2, 1), tile)).toBe(true);
    expect(edit.add[199 * 300 + 255]).toBe(7);
    expect(edit.add[127 * 300 + 299]).toBe(7);
    expect(edit.add[128 * 300 + 256]).toBe(200);
    writeTile(edit, 2, 1, null);
    expect(areTilesEqual(readTile(edit, 2, 1), null)).toBe(true);
    expect(tileByteSize(tile)).toBe(2 * 44 * 72);
    expect(tileByteSize(null)).toBe(0);
    expect(() => writeTile(edit, 0, 0, tile)).toThrow(RangeError);
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
