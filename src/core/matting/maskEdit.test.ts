import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMaskEdit, createMaskEdit, isMaskEditEmpty, refineEdgeMaskOf, refineEdgeMarkThreshold } from './maskEdit';
import { paintBrushDab } from './paintBrushDab';

const matte = (width: number, height: number, value: number) => ({ width, height, channels: 1, data: new Float32Array(width * height).fill(value) });

describe('mask edits', () => {
  it('an add dab makes the centre opaque and leaves pixels outside the brush alone', () => {
    const edit = createMaskEdit(20, 20);
    const dirty = paintBrushDab(edit, { x: 10, y: 10, sizePx: 8, mode: 'add', hardness: 1 });
    expect(dirty).toEqual({ x0: 6, y0: 6, x1: 14, y1: 14 });
    const result = applyMaskEdit(matte(20, 20, 0.2), edit);
    expect(result.data[10 * 20 + 10]).toBe(1);
    expect(result.data[0]).toBeCloseTo(0.2, 6);
    expect(result.data[10 * 20 + 15]).toBeCloseTo(0.2, 6);
  });

  it('the newest stroke wins: subtract over add clears it', () => {
    const edit = createMaskEdit(10, 10);
    paintBrushDab(edit, { x: 5, y: 5, sizePx: 6, mode: 'add', hardness: 1 });
    paintBrushDab(edit, { x: 5, y: 5, sizePx: 6, mode: 'subtract', hardness: 1 });
    expect(applyMaskEdit(matte(10, 10, 0.9), edit).data[55]).toBe(0);
    expect(edit.add[55]).toBe(0);
  });

  it('opacity and pressure scale the effect; a soft brush fades toward its rim', () => {
    const edit = createMaskEdit(40, 1);
    paintBrushDab(edit, { x: 20, y: 0.5, sizePx: 30, mode: 'add', opacity: 0.5, pressure: 0.5, hardness: 0 });
    expect(edit.add[20]).toBeGreaterThan(55);
    expect(edit.add[20]).toBeLessThan(70);
    expect(edit.add[30]!).toBeLessThan(edit.add[22]!);
  });

  it('keeps alpha in [0, 1] for any sequence of dabs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.float({ min: -5, max: 25, noNaN: true }), y: fc.float({ min: -5, max: 25, noNaN: true }), sizePx: fc.float({ min: 1, max: 12, noNaN: true }), add: fc.boolean() }), { maxLength: 12 }),
        fc.float({ min: 0, max: 1, noNaN: true }),
        (dabs, base) => {
          const edit = createMaskEdit(20, 20);
          for (const dab of dabs) paintBrushDab(edit, { ...dab, mode: dab.add ? 'add' : 'subtract' });
          for (const value of applyMaskEdit(matte(20, 20, base), edit).data) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          if (dabs.length === 0) expect(isMaskEditEmpty(edit)).toBe(true);
        },
      ),
    );
  });

  it('a Refine Edge dab marks only the refineEdge plane; Alt (subtract) erases the marks', () => {
    const edit = createMaskEdit(20, 20);
    paintBrushDab(edit, { x: 5, y: 5, sizePx: 6, mode: 'add', hardness: 1 });
    const added = edit.add.slice();
    paintBrushDab(edit, { x: 10, y: 10, sizePx: 8, mode: 'add', hardness: 1, plane: 'refineEdge' });
    expect(edit.refineEdge[10 * 20 + 10]).toBe(255);
    expect(edit.refineEdge[0]).toBe(0);
    expect(edit.add).toEqual(added);
    expect(edit.remove.every((value) => value === 0)).toBe(true);
    // Marks leave alpha alone: the engine re-solves there instead.
    expect(applyMaskEdit(matte(20, 20, 0.3), edit).data[10 * 20 + 10]).toBeCloseTo(0.3, 6);
    expect(isMaskEditEmpty(edit)).toBe(false);
    paintBrushDab(edit, { x: 10, y: 10, sizePx: 8, mode: 'subtract', hardness: 1, plane: 'refineEdge' });
    expect(edit.refineEdge.every((value) => value === 0)).toBe(true);
    expect(edit.add).toEqual(added);
  });

  it('a mark-only edit is not empty, so the engine keeps it', () => {
    const edit = createMaskEdit(4, 4);
    edit.refineEdge[5] = 1;
    expect(isMaskEditEmpty(edit)).toBe(false);
  });

  it('refineEdgeMaskOf keeps marks from half strength on, and is undefined without any', () => {
    const edit = createMaskEdit(4, 1);
    expect(refineEdgeMaskOf(edit)).toBeUndefined();
    edit.refineEdge.set([refineEdgeMarkThreshold - 1, refineEdgeMarkThreshold, 255, 0]);
    expect(refineEdgeMaskOf(edit)).toEqual({ width: 4, height: 1, channels: 1, data: Uint8Array.from([0, 1, 1, 0]) });
    edit.refineEdge.set([refineEdgeMarkThreshold - 1, 0, 0, 0]);
    expect(refineEdgeMaskOf(edit)).toBeUndefined();
  });

  it('rejects an edit of the wrong size', () => {
    expect(() => applyMaskEdit(matte(4, 4, 0), createMaskEdit(4, 5))).toThrow(/Expected a 4×4 edit for edit but received 4×5/);
  });
});
