import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../connection/connectStudio';
import { bumpMaskRevision } from '../document/documentStore';
import { createTestDocument, seedMaskEdit } from '../document/testDocument';
import { createJobStore } from '../jobs/jobStore';
import type { LibraryActions } from '../library/libraryActions';
import type { MaskSync } from '../tools/maskSync';
import { createUiStore } from '../ui/uiStore';
import { createProjectActions } from './projectActions';
import { documentForSave } from './projectDocument';
import { openReloadRecord, readReloadRecord, reloadRecordKey, writeReloadRecord, type RecoveryStorage } from './reloadRecovery';
import { guardUnload } from './unloadGuard';

/** An in-memory Storage with an optional quota in characters. */
function memoryStorage(quotaChars = Infinity): RecoveryStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      if (value.length > quotaChars) throw new DOMException('quota', 'QuotaExceededError');
      values.set(key, value);
    },
    removeItem: (key) => void values.delete(key),
  };
}

const fakeApi = () =>
  ({
    openPaths: vi.fn(async ({ paths }: { paths: string[] }) => ({
      items: paths.filter((path) => path !== '/gone.png').map((path) => ({ id: `id-${path}`, path, name: path.split('/').pop()!, kind: path.endsWith('.mp4') ? 'clip' : 'image', width: 300, height: 200, frameCount: path.endsWith('.mp4') ? 10 : undefined, thumbnailUrl: '/media/t' })),
      failures: paths.filter((path) => path === '/gone.png').map((path) => ({ path, code: 'INVALID_INPUT', message: 'not found' })),
    })),
    markDocumentChanged: vi.fn(async () => ({ ok: true as const })),
    saveProject: vi.fn(async ({ path }: { path?: string }) => ({ project: { path: path!, name: 'saved', projectId: 'id' }, savedAt: new Date().toISOString() })),
    listRecoverableSessions: vi.fn(async () => ({ sessions: [] })),
    getStartupPaths: vi.fn(async () => ({ paths: [] })),
  }) as unknown as StudioApi & { openPaths: ReturnType<typeof vi.fn> };

function setUp(storage: RecoveryStorage, sessionKey = 'web:token1') {
  const { store, history } = createTestDocument();
  const api = fakeApi();
  const maskSync: MaskSync = { flush: async () => {}, dispose() {} };
  const jobs = createJobStore();
  const actions = createProjectActions({
    api, store, history, ui: createUiStore(), jobs, maskSync, library: {} as LibraryActions, bridge: undefined,
    changeIntervalMs: 1000, confirmDiscard: () => true, reloadCopy: { storage, sessionKey },
  });
  return { store, history, api, jobs, actions };
}

afterEach(() => vi.useRealTimers());

describe('the reload copy', () => {
  it('is written while unsaved, offered after a reload of the same engine session, and brings settings and hand edits back', async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const before = setUp(storage);
    expect(before.actions.hasUnsavedWork()).toBe(false);
    before.history.changeSettings('image', { radiusPx: 7 });
    seedMaskEdit(before.store, 'image', 0, 3);
    bumpMaskRevision(before.store, 'image:0');
    expect(before.actions.hasUnsavedWork()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(storage.values.has(reloadRecordKey)).toBe(true);
    const paintedAdd = before.store.getState().maskEdits['image:0']!.add.slice();
    before.actions.dispose();
    vi.useRealTimers();

    // The page reloads: a fresh document, the same storage and engine session.
    const after = setUp(storage);
    after.store.setState({ items: [], settings: {}, activeItemId: null, maskEdits: {}, maskRevisions: {} });
    await after.actions.start();
    expect(after.actions.state.getState().reloadRecovery).toMatchObject({ projectName: 'Untitled', itemCount: 2, hasMaskEdits: true });
    await after.actions.recoverReload();
    const state = after.store.getState();
    expect(state.items.map((item) => item.path)).toEqual(['/pictures/image.png', '/clips/clip.mp4']);
    const imageId = state.items[0]!.id;
    expect(state.settings[imageId]!.radiusPx).toBe(7);
    expect(state.maskEdits[`${imageId}:0`]!.add).toEqual(paintedAdd);
    expect(after.actions.state.getState()).toMatchObject({ isDirty: true, reloadRecovery: null });
    after.actions.dispose();
  });

  it('is dropped by a save, by Discard, and when it belongs to another engine session', async () => {
    const storage = memoryStorage();
    const { history, actions } = setUp(storage);
    history.changeSettings('image', { radiusPx: 7 });
    actions.flushReloadCopy();
    expect(storage.values.has(reloadRecordKey)).toBe(true);
    expect(readReloadRecord(storage, 'web:another-host')).toBeNull();
    expect(storage.values.has(reloadRecordKey)).toBe(false);

    actions.flushReloadCopy();
    await actions.saveTo('/work/p.mattestudio');
    expect(storage.values.has(reloadRecordKey)).toBe(false);

    history.changeSettings('image', { radiusPx: 8 });
    actions.flushReloadCopy();
    const next = setUp(storage);
    await next.actions.start();
    expect(next.actions.state.getState().reloadRecovery).not.toBeNull();
    next.actions.discardReload();
    expect(next.actions.state.getState().reloadRecovery).toBeNull();
    expect(storage.values.has(reloadRecordKey)).toBe(false);
    actions.dispose();
    next.actions.dispose();
  });

  it('keeps the document without hand edits when the edits exceed the quota, and says so', () => {
    const { store } = createTestDocument();
    seedMaskEdit(store, 'image', 0, 5);
    const document = documentForSave(store.getState());
    const small = memoryStorage(2000);
    const full = { frames: [{ itemId: 'image', frameIndex: 0, width: 300, height: 200, tiles: [{ tileX: 0, tileY: 0, add: 'x'.repeat(5000), remove: '' }] }], version: 1 as const, tileSizePx: 128 as const };
    expect(writeReloadRecord(small, { sessionKey: 's', projectPath: null, projectName: 'Untitled', document, maskEdits: full })).toBe('withoutEdits');
    expect(readReloadRecord(small, 's')!.maskEdits).toBeNull();
    expect(writeReloadRecord(memoryStorage(10), { sessionKey: 's', projectPath: null, projectName: 'Untitled', document, maskEdits: full })).toBe('none');
  });

  it('ignores damaged copies', () => {
    const storage = memoryStorage();
    storage.setItem(reloadRecordKey, '{"version":1,');
    expect(readReloadRecord(storage, 's')).toBeNull();
    storage.setItem(reloadRecordKey, JSON.stringify({ version: 1, sessionKey: 's', items: 'no' }));
    expect(readReloadRecord(storage, 's')).toBeNull();
    expect(storage.values.size).toBe(0);
  });

  it('reopens items by path; a missing file is a failure and its edits are left out', async () => {
    const { store } = createTestDocument();
    const storage = memoryStorage();
    const document = documentForSave(store.getState());
    document.items.push({ ...document.items[0]!, id: 'gone', path: '/gone.png' });
    writeReloadRecord(storage, {
      sessionKey: 's', projectPath: '/work/p.mattestudio', projectName: 'p', document,
      maskEdits: { version: 1, tileSizePx: 128, frames: [{ itemId: 'gone', frameIndex: 0, width: 300, height: 200, tiles: [] }] },
    });
    const opened = await openReloadRecord(fakeApi(), readReloadRecord(storage, 's')!);
    expect(opened.items.map((item) => item.path)).toEqual(['/pictures/image.png', '/clips/clip.mp4']);
    expect(opened.failures.map((failure) => failure.path)).toEqual(['/gone.png']);
    expect(opened.maskEdits).toEqual([]);
    expect(opened).toMatchObject({ project: { path: '/work/p.mattestudio', name: 'p' }, isUnsaved: true });
  });
});

describe('guardUnload', () => {
  it('asks before unloading with unsaved work and writes the copy; stays quiet when saved', () => {
    const listeners: ((event: BeforeUnloadEvent) => void)[] = [];
    const target = { addEventListener: (_name: string, listener: (event: BeforeUnloadEvent) => void) => listeners.push(listener), removeEventListener: () => listeners.pop() } as unknown as Window;
    let isUnsaved = true;
    const flushReloadCopy = vi.fn();
    const remove = guardUnload({ hasUnsavedWork: () => isUnsaved, flushReloadCopy }, 'web', target);
    const event = { preventDefault: vi.fn(), returnValue: undefined as unknown } as unknown as BeforeUnloadEvent;
    listeners[0]!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(flushReloadCopy).toHaveBeenCalledTimes(1);
    isUnsaved = false;
    const quiet = { preventDefault: vi.fn() } as unknown as BeforeUnloadEvent;
    listeners[0]!(quiet);
    expect(quiet.preventDefault).not.toHaveBeenCalled();
    remove();
    expect(listeners).toHaveLength(0);
  });
  it('in Electron writes the copy but never blocks the close', () => {
    let listener: ((event: BeforeUnloadEvent) => void) | undefined;
    const target = { addEventListener: (_name: string, added: (event: BeforeUnloadEvent) => void) => (listener = added), removeEventListener: () => {} } as unknown as Window;
    const flushReloadCopy = vi.fn();
    guardUnload({ hasUnsavedWork: () => true, flushReloadCopy }, 'electron', target);
    const event = { preventDefault: vi.fn() } as unknown as BeforeUnloadEvent;
    listener!(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(flushReloadCopy).toHaveBeenCalledTimes(1);
  });
});
