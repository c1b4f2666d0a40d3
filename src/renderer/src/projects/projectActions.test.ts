import { StudioError } from '../../../shared/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../connection/connectStudio';
import { createTestDocument } from '../document/testDocument';
import { createJobStore } from '../jobs/jobStore';
import type { LibraryActions } from '../library/libraryActions';
import type { MaskSync } from '../tools/maskSync';
import { commandForKey } from '../tools/shortcuts';
import { createUiStore, updateUi } from '../ui/uiStore';
import { createProjectActions, type ProjectActionsOptions } from './projectActions';
import type { OpenedProject } from './projectDocument';

const opened = (isUnsaved: boolean): OpenedProject => ({
  project: { path: isUnsaved ? null : '/work/p.mattestudio', name: isUnsaved ? 'Untitled' : 'p', projectId: 'id' },
  items: [{ id: 'a', path: '/m/a.png', name: 'a.png', kind: 'image', width: 10, height: 10, thumbnailUrl: '/media/thumb/a' }],
  states: [],
  activeItemId: 'a',
  maskEdits: [],
  failures: [],
  warnings: [],
  isUnsaved,
});

/** The actions over a test document and a fake engine that records what it was asked, in order. */
function setUp(extra: Partial<ProjectActionsOptions> = {}) {
  const { store, history } = createTestDocument();
  const calls: string[] = [];
  const api = {
    markDocumentChanged: vi.fn(async () => (calls.push('markDocumentChanged'), { ok: true as const })),
    saveProject: vi.fn(async ({ path }: { path?: string; replace?: boolean }) => {
      calls.push(`saveProject ${path}`);
      return { project: { path: path!, name: 'saved', projectId: 'id' }, savedAt: new Date().toISOString() };
    }),
    openProject: vi.fn(async () => (calls.push('openProject'), opened(false))),
    recoverSession: vi.fn(async () => (calls.push('recoverSession'), opened(true))),
    listRecoverableSessions: vi.fn(async () => ({ sessions: [{ sessionId: 's1', projectPath: null, projectName: 'Untitled', savedAt: new Date(0).toISOString(), itemCount: 1 }] })),
    getStartupPaths: vi.fn(async () => ({ paths: ['/work/p.mattestudio', '/m/folder'] })),
    listRecentProjects: vi.fn(async () => ({ projects: [], warnings: [] })),
    discardRecoverableSession: vi.fn(async () => ({ ok: true as const })),
  };
  const maskSync: MaskSync = { flush: vi.fn(async (itemId: string) => void calls.push(`flush ${itemId}`)), dispose() {} };
  const library = { openPaths: vi.fn(async (paths: readonly string[]) => (calls.push(`library ${paths.join(',')}`), 1)) } as unknown as LibraryActions;
  const ui = createUiStore();
  const actions = createProjectActions({
    api: api as unknown as StudioApi,
    store,
    history,
    ui,
    jobs: createJobStore(),
    maskSync,
    library,
    bridge: undefined,
    changeIntervalMs: 1000,
    confirmDiscard: () => false,
    ...extra,
  });
  return { store, history, api, calls, actions, ui };
}

afterEach(() => vi.useRealTimers());

describe('project actions', () => {
  it('an edit marks the project unsaved and reaches the engine at most once a second, pending edits first', async () => {
    vi.useFakeTimers();
    const { history, api, calls, actions } = setUp();
    history.changeSettings('image', { radiusPx: 5 });
    history.changeSettings('image', { radiusPx: 6 });
    expect(actions.state.getState().isDirty).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(api.markDocumentChanged).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(api.markDocumentChanged).toHaveBeenCalledTimes(1);
    expect((api.markDocumentChanged.mock.calls[0] as unknown[])[0]).toMatchObject({ document: { items: [{ id: 'image', settings: { radiusPx: 6 } }, { id: 'clip' }] } });
    expect(calls).toEqual(['flush image', 'flush clip', 'markDocumentChanged']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.markDocumentChanged).toHaveBeenCalledTimes(1);
  });

  it('Save while untitled asks for a path; saving flushes hand edits first and leaves the project saved', async () => {
    const { history, calls, actions } = setUp();
    history.changeSettings('image', { radiusPx: 5 });
    await actions.save();
    expect(actions.state.getState().dialog).toBe('saveAs');
    expect(calls).toEqual([]);
    await actions.saveTo('/work/new.mattestudio');
    expect(calls).toEqual(['flush image', 'flush clip', 'saveProject /work/new.mattestudio']);
    expect(actions.state.getState()).toMatchObject({ path: '/work/new.mattestudio', name: 'saved', isDirty: false, dialog: null });
    await actions.save();
    expect(calls.at(-1)).toBe('saveProject /work/new.mattestudio');
    actions.dispose();
  });

  it('Save As onto an existing file asks first; declined, nothing is replaced and the dialog stays', async () => {
    const questions: string[] = [];
    let answer = false;
    const { api, actions } = setUp({ confirmDiscard: (question) => (questions.push(question), answer) });
    // The engine refuses a Save As onto a file that exists unless told to replace it.
    api.saveProject.mockImplementation(async (input: { path?: string; replace?: boolean }) => {
      if (!input.replace) throw new StudioError('OUTPUT_EXISTS', 'b.mattestudio already exists. Replace it?');
      return { project: { path: input.path!, name: 'b', projectId: 'id' }, savedAt: new Date().toISOString() };
    });
    actions.saveAs();
    await expect(actions.saveTo('/work/b.mattestudio')).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', message: 'Not saved: b.mattestudio already exists. Choose another name.' });
    expect(questions).toEqual(['b.mattestudio already exists. Replace it? The project saved there will be lost.']);
    expect(actions.state.getState()).toMatchObject({ path: null, dialog: 'saveAs' });
    answer = true;
    await actions.saveTo('/work/b.mattestudio');
    expect(api.saveProject.mock.calls.map((call) => (call[0] as { replace?: boolean }).replace)).toEqual([false, false, true]);
    expect(actions.state.getState()).toMatchObject({ path: '/work/b.mattestudio', dialog: null });
  });

  it('opening loads without undo entries or unsaved state; a recovered session starts unsaved; unsaved work is not replaced unasked', async () => {
    const { store, history, api, actions } = setUp();
    expect(await actions.open('/work/p.mattestudio')).toBe(true);
    expect(store.getState().items.map((item) => item.id)).toEqual(['a']);
    expect([history.canUndo(), actions.state.getState().isDirty, actions.state.getState().name]).toEqual([false, false, 'p']);
    history.changeSettings('a', { radiusPx: 1 });
    expect(await actions.open('/work/other.mattestudio')).toBe(false);
    expect(api.openProject).toHaveBeenCalledTimes(1);
    await actions.recover('s1');
    expect(api.recoverSession).not.toHaveBeenCalled();
    const fresh = setUp();
    await fresh.actions.recover('s1');
    expect(fresh.actions.state.getState()).toMatchObject({ isDirty: true, name: 'Untitled', path: null });
    actions.dispose();
    fresh.actions.dispose();
  });

  it('at startup offers crashed sessions, then opens the startup paths: projects as projects, the rest in the library', async () => {
    const { calls, actions } = setUp();
    await actions.start();
    expect(actions.state.getState().recoverable.map((session) => session.sessionId)).toEqual(['s1']);
    expect(calls).toEqual(['openProject', 'library /m/folder']);
    await actions.discard('s1');
    expect(actions.state.getState().recoverable).toEqual([]);
    actions.dispose();
  });
});

describe('project shortcuts', () => {
  it('Ctrl+S saves and Shift+Ctrl+S saves as (Cmd on macOS); plain S does neither', () => {
    const key = (k: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey', boolean>>) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });
    expect(commandForKey(key('s', { ctrlKey: true }), false)).toBe('save');
    expect(commandForKey(key('S', { ctrlKey: true, shiftKey: true }), false)).toBe('saveAs');
    expect(commandForKey(key('s', { metaKey: true }), true)).toBe('save');
    expect(commandForKey(key('s', { metaKey: true, shiftKey: true }), true)).toBe('saveAs');
    expect(commandForKey(key('s', {}), false)).toBeNull();
  });

  it('a chosen background picture makes the project unsaved and is saved with it; an opened project’s picture shows without', async () => {
    const { api, actions, ui } = setUp({ toMediaUrl: (path) => `media:${path}` });
    const chosen = { name: 'wall.png', bitmap: { close: vi.fn() } as unknown as ImageBitmap, enginePath: `/cache/backgrounds/${'a'.repeat(32)}.png` };
    updateUi(ui, { backgroundImage: chosen });
    expect(actions.state.getState().isDirty).toBe(true);
    await actions.saveTo('/work/p.mattestudio');
    expect(api.saveProject.mock.calls[0]![0]).toMatchObject({ document: { backgroundPicture: { name: 'wall.png', path: chosen.enginePath } } });
    expect(actions.state.getState().isDirty).toBe(false);

    const picture = { name: 'beach.jpg', path: `/cache/backgrounds/${'b'.repeat(32)}.jpg` };
    api.openProject.mockResolvedValueOnce({ ...opened(false), backgroundPicture: picture });
    const shown = { close: vi.fn() } as unknown as ImageBitmap;
    vi.stubGlobal('fetch', vi.fn(async (url: string) => ({ ok: url === `media:/media/background/${'b'.repeat(32)}.jpg`, status: 200, blob: async () => new Blob(['x']) })));
    vi.stubGlobal('createImageBitmap', vi.fn(async () => shown));
    try {
      await actions.open('/work/q.mattestudio');
      await vi.waitFor(() => expect(ui.getState().backgroundImage).toEqual({ name: 'beach.jpg', bitmap: shown, enginePath: picture.path }));
      expect(actions.state.getState().isDirty).toBe(false);
      // The opened project had no picture: the one shown before goes, still without making it unsaved.
      api.openProject.mockResolvedValueOnce(opened(false));
      await actions.open('/work/r.mattestudio');
      expect(ui.getState().backgroundImage).toBeNull();
      expect(actions.state.getState().isDirty).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
