import { describe, expect, it } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { composedAlpha, composeRegion, parseHexColor, type CompositeSource, type CompositeStyle } from './composePixels';
import { sampleIndexMap } from './tileMapping';

/** A 2×1 preview of a 4×2 picture: left pixel foreground red (alpha 255), right pixel background (alpha 0). */
function source(withEdit = false): CompositeSource {
  const edit = withEdit ? createMaskEdit(4, 2) : undefined;
  return {
    width: 2,
    height: 1,
    cutout: Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 0]),
    heatmap: Uint8Array.from([0, 255]),
    edit,
    editColumns: sampleIndexMap(2, 4),
    editRows: sampleIndexMap(1, 2),
  };
}
const style = (patch: Partial<CompositeStyle>): CompositeStyle => ({ mode: 'black', overlayRgb: [255, 0, 0], overlayOpacity: 0.5, backgroundRgb: [0, 0, 255], showHeatmap: false, showRefineEdge: false, ...patch });
const compose = (input: CompositeSource, patch: Partial<CompositeStyle>) => {
  const out = new Uint8ClampedArray(8);
  composeRegion(input, style(patch), out, { x0: 0, y0: 0, x1: 2, y1: 1 });
  return [...out];
};

describe('composeRegion', () => {
  it('puts the cut-out over solid backgrounds', () => {
    expect(compose(source(), { mode: 'black' })).toEqual([255, 0, 0, 255, 0, 0, 0, 255]);
    expect(compose(source(), { mode: 'white' })).toEqual([255, 0, 0, 255, 255, 255, 255, 255]);
    expect(compose(source(), { mode: 'color' })).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });
  it('draws only the tint in overlay mode', () => {
    expect(compose(source(), { mode: 'overlay' })).toEqual([255, 0, 0, 0, 255, 0, 0, 128]);
  });
  it('shows the matte; in the original view nothing covers the picture (the stage shows it beneath)', () => {
    expect(compose(source(), { mode: 'matte' })).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
    expect(compose(source(), { mode: 'original' })).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('uses a checkerboard when no background picture is loaded', () => {
    expect(compose(source(), { mode: 'image' }).slice(4)).toEqual([255, 255, 255, 255]);
    expect(compose({ ...source(), background: Uint8Array.from([0, 0, 0, 255, 9, 8, 7, 255]) }, { mode: 'image' }).slice(4)).toEqual([9, 8, 7, 255]);
  });
  it('applies hand edits sampled at full size', () => {
    const input = source(true);
    // Preview pixel 1 samples full column 3, row 1.
    input.edit!.add[1 * 4 + 3] = 255;
    input.edit!.remove[1 * 4 + 1] = 255;
    expect(composedAlpha(input, 1, 0)).toBe(255);
    expect(composedAlpha(input, 0, 0)).toBe(0);
    expect(compose(input, { mode: 'matte' })).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
  it('tints spill heat', () => {
    const out = compose(source(), { mode: 'black', showHeatmap: true });
    expect(out.slice(0, 4)).toEqual([255, 0, 0, 255]);
    expect(out[4]).toBeGreaterThan(200);
    expect(out[6]).toBeGreaterThan(150);
  });
  it('tints the Refine Edge marks the engine uses, only while that brush is in hand', () => {
    const input = source(true);
    // Preview pixel 0 samples full column 1, row 1; pixel 1 samples column 3.
    input.edit!.refineEdge[1 * 4 + 1] = 255;
    input.edit!.refineEdge[1 * 4 + 3] = 127; // below half strength: not a mark the engine uses
    expect(compose(input, { mode: 'black' })).toEqual([255, 0, 0, 255, 0, 0, 0, 255]);
    expect(compose(input, { mode: 'black', showRefineEdge: true })).toEqual([128, 100, 128, 255, 0, 0, 0, 255]);
    // Over a clear overlay pixel the tint is pure cyan at half opacity.
    expect(compose(input, { mode: 'overlay', showRefineEdge: true }).slice(0, 4)).toEqual([0, 200, 255, 128]);
  });
  it('touches only the rectangle', () => {
    const out = new Uint8ClampedArray(8).fill(7);
    composeRegion(source(), style({ mode: 'black' }), out, { x0: 1, y0: 0, x1: 2, y1: 1 });
    expect([...out.slice(0, 4)]).toEqual([7, 7, 7, 7]);
  });
});

describe('parseHexColor', () => {
  it('reads short and long forms', () => {
    expect(parseHexColor('#00b140')).toEqual([0, 177, 64]);
    expect(parseHexColor('#fff')).toEqual([255, 255, 255]);
    expect(parseHexColor('nope', [1, 2, 3])).toEqual([1, 2, 3]);
  });
});
