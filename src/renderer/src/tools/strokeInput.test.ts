import { describe, expect, it } from 'vitest';
import { updateBrush } from '../document/documentStore';
import { createTestDocument } from '../document/testDocument';
import type { CanvasTool } from '../ui/uiStore';
import { createHeldBrushInversion } from './heldBrushInversion';
import { createStrokeInput } from './strokeInput';

const point = (x: number, y: number, pressure = 1) => ({ x, y, pressure });

describe('createStrokeInput', () => {
  it('paints a stroke as one undo step and rolls back on cancel', () => {
    const { store, history } = createTestDocument(300, 200);
    const strokes = createStrokeInput(store, history);
    updateBrush(store, { sizePx: 10, hardness: 1, mode: 'subtract' });
    expect(strokes.begin(point(20, 20))).toBe(true);
    strokes.extend([point(60, 20), point(100, 20)]);
    strokes.end();
    const edit = store.getState().maskEdits['image:0']!;
    expect(edit.remove[20 * 300 + 20]).toBe(255);
    expect(edit.remove[20 * 300 + 60]).toBe(255);
    expect(edit.remove[20 * 300 + 100]).toBe(255);
    expect(history.inspect().undo).toHaveLength(1);
    expect(store.getState().history.undoLabel).toBe('Undo Brush Stroke');

    strokes.begin(point(20, 100));
    strokes.extend([point(120, 100)]);
    expect(edit.remove[100 * 300 + 70]).toBe(255);
    expect(strokes.cancel()).toBe(true);
    expect(edit.remove[100 * 300 + 70]).toBe(0);
    expect(strokes.isActive).toBe(false);
    expect(history.inspect().undo).toHaveLength(1);
  });

  it('leaves no gaps along a fast stroke', () => {
    const { store, history } = createTestDocument(300, 200);
    const strokes = createStrokeInput(store, history);
    updateBrush(store, { sizePx: 8, hardness: 1, mode: 'add' });
    strokes.begin(point(10, 50));
    strokes.extend([point(290, 50)]);
    strokes.end();
    const edit = store.getState().maskEdits['image:0']!;
    for (let x = 10; x < 290; x++) expect(edit.add[50 * 300 + x]).toBeGreaterThan(0);
  });

  it('paints the active item at its current frame and refuses without one', () => {
    const { store, history } = createTestDocument();
    const strokes = createStrokeInput(store, history);
    store.setState({ activeItemId: 'clip', frameIndices: { ...store.getState().frameIndices, clip: 4 } });
    strokes.begin(point(5, 5));
    strokes.end();
    expect(Object.keys(store.getState().maskEdits)).toEqual(['clip:4']);
    store.setState({ activeItemId: null });
    expect(strokes.begin(point(5, 5))).toBe(false);
  });

  it('keeps the mode a stroke began with when the brush flips mid-stroke (Alt released)', () => {
    const { store, history } = createTestDocument(300, 200);
    const strokes = createStrokeInput(store, history);
    updateBrush(store, { sizePx: 8, hardness: 1, mode: 'subtract' });
    strokes.begin(point(10, 50));
    updateBrush(store, { mode: 'add' });
    strokes.extend([point(200, 50)]);
    strokes.end();
    const edit = store.getState().maskEdits['image:0']!;
    expect(edit.remove[50 * 300 + 150]).toBe(255);
    expect(edit.add[50 * 300 + 150]).toBe(0);
  });

  it('with the Refine Edge brush in hand a stroke marks; Alt held erases marks and leaves the add/subtract mode alone', () => {
    const { store, history } = createTestDocument(300, 200);
    let tool: CanvasTool = 'refineEdge';
    const strokes = createStrokeInput(store, history, () => tool);
    const inversion = createHeldBrushInversion(store, () => tool);
    updateBrush(store, { sizePx: 20, hardness: 1 });
    strokes.begin(point(20, 50));
    strokes.extend([point(200, 50)]);
    strokes.end();
    const edit = store.getState().maskEdits['image:0']!;
    expect([edit.refineEdge[50 * 300 + 100], edit.add[50 * 300 + 100]]).toEqual([255, 0]);

    inversion.press();
    expect(store.getState().view.brush).toMatchObject({ mode: 'add', refineEdgeMode: 'erase' });
    tool = 'brush'; // switching tools while Alt is held: the release still flips back the brush that was flipped
    strokes.begin(point(100, 50));
    strokes.end();
    tool = 'refineEdge';
    strokes.begin(point(60, 50));
    strokes.end();
    inversion.release();
    expect(store.getState().view.brush).toMatchObject({ mode: 'add', refineEdgeMode: 'mark' });
    expect([edit.refineEdge[50 * 300 + 60], edit.refineEdge[50 * 300 + 150], edit.add[50 * 300 + 100]]).toEqual([0, 255, 255]);
    expect(history.inspect().undo.map((entry) => entry.label)).toEqual(['Refine Edge Stroke', 'Brush Stroke', 'Refine Edge Stroke']);
  });
});
