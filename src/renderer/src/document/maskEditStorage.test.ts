import { describe, expect, it } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { decodeBase64, encodeBase64 } from './base64';
import { loadMaskEdits, maskEditKey } from './documentStore';
import { markersForItem } from './documentSelectors';
import { deserializeMaskEdits, serializeMaskEdits } from './maskEditStorage';
import { createTestDocument, seedMaskEdit } from './testDocument';

describe('hand edits on disk', () => {
  it('round-trips every byte through JSON, storing only non-empty tiles', () => {
    const { store, history } = createTestDocument(300, 200);
    history.beginStroke('image', 0);
    history.strokeDab({ x: 290, y: 190, sizePx: 30, mode: 'add' }); // the narrow bottom-right edge tile
    history.strokeDab({ x: 20, y: 20, sizePx: 10, mode: 'subtract' });
    history.endStroke();
    seedMaskEdit(store, 'clip', 4, 5);
    ensureEmptyFrame(store);
    const saved = serializeMaskEdits(store.getState().maskEdits);
    expect(saved.frames.map((frame) => [frame.itemId, frame.frameIndex, frame.tiles.length])).toEqual([['clip', 4, 1], ['image', 0, 2]]);
    const imageTiles = saved.frames[1]!.tiles;
    expect(imageTiles.map((tile) => [tile.tileX, tile.tileY])).toEqual([[0, 0], [2, 1]]);
    expect(imageTiles[1]!.remove).toBe(''); // an add-only tile leaves its remove plane empty

    const { maskEdits, warnings } = deserializeMaskEdits(JSON.parse(JSON.stringify(saved)));
    expect(warnings).toEqual([]);
    const original = store.getState().maskEdits;
    expect(Object.keys(maskEdits).sort()).toEqual([maskEditKey('clip', 4), maskEditKey('image', 0)]);
    for (const key of Object.keys(maskEdits)) {
      expect(maskEdits[key]!.add).toEqual(original[key]!.add);
      expect(maskEdits[key]!.remove).toEqual(original[key]!.remove);
    }
  });

  it('skips bad frames and tiles with a warning and keeps the good ones', () => {
    const edit = createMaskEdit(200, 100);
    edit.add[5] = 9;
    edit.remove[150 * 1 + 199] = 3;
    const saved = serializeMaskEdits({ [maskEditKey('image', 0)]: edit });
    const frame = saved.frames[0]!;
    const corrupt = {
      ...saved,
      frames: [
        { ...frame, tiles: [...frame.tiles, { tileX: 5, tileY: 0, add: '', remove: '' }, { tileX: 0, tileY: 0, add: 'AAAA', remove: '' }, { tileX: 1, tileY: 0, add: '@@@@', remove: '' }, 'junk'] },
        { itemId: '', frameIndex: -1 },
        { ...frame, width: 4 },
      ],
    };
    const { maskEdits, warnings } = deserializeMaskEdits(corrupt);
    expect(warnings).toHaveLength(6);
    expect(warnings.join('\n')).toMatch(/outside the picture[\s\S]*wrong number of bytes[\s\S]*not valid base64[\s\S]*not a tile[\s\S]*not readable[\s\S]*another size/);
    expect(maskEdits[maskEditKey('image', 0)]!.add).toEqual(edit.add);
    expect(deserializeMaskEdits({ version: 2, frames: [] }).warnings).toHaveLength(1);
    expect(deserializeMaskEdits(null).maskEdits).toEqual({});
  });

  it('lists the frames with hand edits as timeline markers, and loads edits only for matching items', () => {
    const { store, history } = createTestDocument();
    for (const frameIndex of [6, 2]) {
      history.beginStroke('clip', frameIndex);
      history.strokeDab({ x: 30, y: 20, sizePx: 8, mode: 'add' });
      history.endStroke();
    }
    history.beginStroke('clip', 4);
    history.strokeDab({ x: 30, y: 20, sizePx: 8, mode: 'add' });
    history.cancelStroke(); // frame 4 has an edit object but no edits
    expect(markersForItem(store.getState(), 'clip')).toEqual([2, 6]);
    history.undo();
    expect(markersForItem(store.getState(), 'clip')).toEqual([6]);
    expect(markersForItem(store.getState(), 'image')).toEqual([]);

    const loaded = deserializeMaskEdits(serializeMaskEdits(store.getState().maskEdits)).maskEdits;
    loadMaskEdits(store, { ...loaded, [maskEditKey('ghost', 0)]: createMaskEdit(64, 48), [maskEditKey('image', 0)]: createMaskEdit(5, 5) });
    expect(Object.keys(store.getState().maskEdits)).toEqual([maskEditKey('clip', 6)]);
    expect(markersForItem(store.getState(), 'clip')).toEqual([6]);
  });

  it('base64 matches the standard alphabet and padding, and round-trips every length', () => {
    expect(encodeBase64(Uint8Array.from('Matte', (character) => character.charCodeAt(0)))).toBe('TWF0dGU=');
    expect(encodeBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    for (let length = 0; length < 10; length++) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 97 + 13) & 255);
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }
    expect(() => decodeBase64('abc')).toThrow(RangeError);
  });
});

/** An edit object that exists but is empty must not be written. */
function ensureEmptyFrame(store: ReturnType<typeof createTestDocument>['store']): void {
  loadMaskEdits(store, { ...store.getState().maskEdits, [maskEditKey('clip', 9)]: createMaskEdit(64, 48) });
}
