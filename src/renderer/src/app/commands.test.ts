import { describe, expect, it } from 'vitest';
import { setActiveItem } from '../document/documentStore';
import { createTestDocument } from '../document/testDocument';
import { createStrokeInput } from '../tools/strokeInput';
import { createUiStore } from '../ui/uiStore';
import { runCommand } from './commands';
import type { StudioServices } from './studioServices';

function setUp() {
  const { store, history } = createTestDocument(300, 200);
  const ui = createUiStore();
  const strokes = createStrokeInput(store, history);
  const services = { store, history, ui, strokes, viewport: null, library: { showOpenDialog: () => {} } } as unknown as StudioServices;
  return { store, history, ui, strokes, services };
}

describe('runCommand', () => {
  it('steps frames and shuttles only on clips', () => {
    const { store, ui, services } = setUp();
    expect(runCommand(services, 'frameForward')).toBe(false);
    expect(runCommand(services, 'togglePlay')).toBe(false);
    expect(ui.getState().shuttleSpeed).toBe(0);
    setActiveItem(store, 'clip');
    runCommand(services, 'frameForward');
    runCommand(services, 'frameForward');
    runCommand(services, 'frameBack');
    expect(store.getState().frameIndices.clip).toBe(1);
    runCommand(services, 'lastFrame');
    expect(store.getState().frameIndices.clip).toBe(9);
    runCommand(services, 'shuttleForward');
    runCommand(services, 'shuttleForward');
    expect(ui.getState().shuttleSpeed).toBe(2);
    runCommand(services, 'frameBack');
    expect(ui.getState().shuttleSpeed).toBe(0);
    runCommand(services, 'togglePlay');
    expect(ui.getState().shuttleSpeed).toBe(1);
    runCommand(services, 'cancel');
    expect(ui.getState().shuttleSpeed).toBe(0);
  });

  it('changes the brush', () => {
    const { store, services } = setUp();
    runCommand(services, 'swapBrushMode');
    expect(store.getState().view.brush.mode).toBe('subtract');
    runCommand(services, 'brushLarger');
    expect(store.getState().view.brush.sizePx).toBe(44);
  });

  it('R picks the Refine Edge brush, whose strokes mark the refineEdge plane; X swaps its own mode', () => {
    const { store, ui, history, services } = setUp();
    const strokes = createStrokeInput(store, history, () => ui.getState().tool);
    runCommand(services, 'selectRefineEdge');
    expect(ui.getState().tool).toBe('refineEdge');
    runCommand(services, 'swapBrushMode');
    expect(store.getState().view.brush).toMatchObject({ mode: 'add', refineEdgeMode: 'erase' });
    runCommand(services, 'swapBrushMode');
    expect(store.getState().view.brush.refineEdgeMode).toBe('mark');
    strokes.begin({ x: 40, y: 40, pressure: 1 });
    strokes.end();
    const edit = store.getState().maskEdits['image:0']!;
    expect(edit.refineEdge[40 * 300 + 40]).toBe(255);
    expect(edit.add[40 * 300 + 40]).toBe(0);
    expect(store.getState().history.undoLabel).toBe('Undo Refine Edge Stroke');
    runCommand(services, 'selectBrush');
    expect(ui.getState().tool).toBe('brush');
  });

  it('undo during a stroke only cancels the stroke', () => {
    const { history, strokes, services } = setUp();
    strokes.begin({ x: 10, y: 10, pressure: 1 });
    strokes.end();
    strokes.begin({ x: 50, y: 50, pressure: 1 });
    expect(runCommand(services, 'undo')).toBe(true);
    expect(strokes.isActive).toBe(false);
    expect(history.inspect().undo).toHaveLength(1);
    runCommand(services, 'undo');
    expect(history.inspect().undo).toHaveLength(0);
    runCommand(services, 'redo');
    expect(history.inspect().undo).toHaveLength(1);
  });
});
