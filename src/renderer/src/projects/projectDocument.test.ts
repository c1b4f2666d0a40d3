import { describe, expect, it } from 'vitest';
import { addItems, maskEditKey, setSelection, updateItem, updateView } from '../document/documentStore';
import { serializeMaskEdits } from '../document/maskEditStorage';
import { createTestDocument, seedMaskEdit, snapshotPlanes } from '../document/testDocument';
import { createUiStore } from '../ui/uiStore';
import { documentForSave, isDocumentChange, loadOpenedProject, type OpenedProject } from './projectDocument';

const info = (id: string, width: number, height: number) => ({ id, path: `/media/${id}.png`, name: `${id}.png`, kind: 'image' as const, width, height, thumbnailUrl: `/media/thumb/${id}` });

describe('documentForSave', () => {
  it('carries items with their settings, timeline positions and the view', () => {
    const { store, history } = createTestDocument();
    history.changeSettings('image', { radiusPx: 7 });
    store.setState({ frameIndices: { ...store.getState().frameIndices, clip: 4 } });
    updateView(store, { viewMode: 'matte', zoom: 2 });
    const document = documentForSave(store.getState());
    expect(document.items).toEqual([
      { id: 'image', path: '/pictures/image.png', kind: 'image', settings: expect.objectContaining({ radiusPx: 7 }), frameIndex: 0 },
      { id: 'clip', path: '/clips/clip.mp4', kind: 'clip', settings: expect.objectContaining({ radiusPx: 90 }), frameIndex: 4 },
    ]);
    expect(document).toMatchObject({ activeItemId: 'image', view: { viewMode: 'matte', zoom: 2, splitFraction: 0.5 } });
  });
});

describe('isDocumentChange', () => {
  it('counts settings, hand edits and the set of items, not status, selection or view', () => {
    const { store, history } = createTestDocument();
    const changes: boolean[] = [];
    store.subscribe((state, previous) => changes.push(isDocumentChange(state, previous)));
    /** Whether any store update since the last call was a document change. */
    const changed = () => changes.splice(0).some(Boolean);
    updateItem(store, 'image', { status: 'done' });
    setSelection(store, ['clip']);
    updateView(store, { zoom: 3 });
    expect(changed()).toBe(false);
    history.changeSettings('image', { featherPx: 2 });
    expect(changed()).toBe(true);
    history.beginStroke('image', 0);
    history.strokeDab({ x: 10, y: 10, sizePx: 8, hardness: 1, opacity: 1, mode: 'add' });
    expect(changed()).toBe(false);
    history.endStroke();
    expect(changed()).toBe(true);
    addItems(store, [{ id: 'new', path: '/n.png', name: 'n.png', kind: 'image', width: 8, height: 8 }]);
    expect(changed()).toBe(true);
  });
});

describe('loadOpenedProject', () => {
  it('replaces the document with the project, hand edits included, and leaves nothing to undo', () => {
    const source = createTestDocument(300, 200);
    seedMaskEdit(source.store, 'image', 0, 7);
    const planes = snapshotPlanes(source.store, 'image', 0);
    const [frame] = serializeMaskEdits(source.store.getState().maskEdits).frames;

    const { store, history } = createTestDocument(40, 30);
    history.changeSettings('image', { radiusPx: 3 });
    seedMaskEdit(store, 'image', 0, 3);
    expect(history.canUndo()).toBe(true);
    const ui = createUiStore();
    const opened: OpenedProject = {
      project: { path: '/work/p.mattestudio', name: 'p', projectId: 'id-1' },
      items: [info('image', 300, 200), info('other', 20, 10)],
      states: [
        { itemId: 'image', settings: { ...store.getState().settings.image!, radiusPx: 55 }, frameIndex: 0 },
        { itemId: 'other', settings: { ...store.getState().settings.image!, spillStrength: 0.25 }, frameIndex: 3 },
      ],
      activeItemId: 'other',
      view: { zoom: 4, panX: 1, panY: 2, viewMode: 'checker', overlayColor: '#000000', overlayOpacity: 0.3, backgroundColor: '#ffffff', splitFraction: 0.7 },
      maskEdits: [{ itemId: 'image', frameIndex: 0, edit: { width: frame!.width, height: frame!.height, tileSizePx: 128, tiles: frame!.tiles } }],
      failures: [],
      warnings: [],
      isUnsaved: false,
    };
    expect(loadOpenedProject(store, history, ui, opened)).toEqual([]);

    const state = store.getState();
    expect(state.items.map((item) => [item.id, item.width])).toEqual([['image', 300], ['other', 20]]);
    expect(state.settings.image!.radiusPx).toBe(55);
    expect(state.settings.other!.spillStrength).toBe(0.25);
    expect(state.frameIndices.other).toBe(0);
    expect([state.activeItemId, state.selection]).toEqual(['other', ['other']]);
    expect(state.view).toMatchObject({ viewMode: 'checker', overlayOpacity: 0.3, splitFraction: 0.7, zoom: 1 });
    expect(state.maskEdits[maskEditKey('image', 0)]!.add).toEqual(planes.add);
    expect(state.maskEdits[maskEditKey('image', 0)]!.remove).toEqual(planes.remove);
    expect(Object.keys(state.maskEdits)).toEqual([maskEditKey('image', 0)]);
    expect([history.canUndo(), history.canRedo(), history.inspect().undo.length]).toEqual([false, false, 0]);
    expect(ui.getState().thumbnails.other).toBe('/media/thumb/other');
  });

  it('reports hand edits it cannot read instead of failing the project', () => {
    const { store, history } = createTestDocument();
    const opened = {
      project: { path: null, name: 'Untitled', projectId: null },
      items: [info('image', 300, 200)],
      states: [],
      activeItemId: null,
      maskEdits: [{ itemId: 'image', frameIndex: 0, edit: { width: 300, height: 200, tileSizePx: 128, tiles: [{ tileX: 0, tileY: 0, add: 'AAAA', remove: '' }] } }],
      failures: [],
      warnings: [],
      isUnsaved: true,
    } satisfies OpenedProject;
    const warnings = loadOpenedProject(store, history, createUiStore(), opened);
    expect(warnings).toEqual([expect.stringContaining('wrong number of bytes')]);
    expect(store.getState().activeItemId).toBe('image');
  });
});
