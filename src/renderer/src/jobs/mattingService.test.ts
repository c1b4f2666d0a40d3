import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import type { StudioApi } from '../connection/connectStudio';
import { addItems, createDocumentStore, removeItems } from '../document/documentStore';
import { createUiStore } from '../ui/uiStore';
import { createJobStore } from './jobStore';
import { createMattingService } from './mattingService';

type MatteInput = Parameters<StudioApi['matteItem']>[0];
const provenance = { tier: 1 as const, model: 'isnet-fp16', ep: 'cpu', fallbackReasons: [] };
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setUp(matte: (input: MatteInput, signal?: AbortSignal) => Promise<typeof provenance>) {
  const store = createDocumentStore();
  const ui = createUiStore();
  const jobs = createJobStore();
  const calls: MatteInput[] = [];
  const api = {
    matteItem: (input: MatteInput, options?: { signal?: AbortSignal }) => (calls.push(input), matte(input, options?.signal)),
    getFlaggedFrames: async () => [{ frameIndex: 2, reason: 'abrupt' }],
  } as unknown as StudioApi;
  return { store, ui, jobs, calls, service: createMattingService(api, store, ui, jobs) };
}

describe('createMattingService', () => {
  it('mattes pending items one by one, the active first, and records the result', async () => {
    const { store, ui, calls, service } = setUp(async () => provenance);
    addItems(store, [
      { id: 'a', path: '/a.png', name: 'a.png', kind: 'image', width: 4, height: 4 },
      { id: 'b', path: '/b.png', name: 'b.png', kind: 'image', width: 4, height: 4 },
      { id: 'c', path: '/c.png', name: 'c.png', kind: 'image', width: 4, height: 4 },
    ]);
    // 'a' (active on import) is already running; the newly active 'c' goes next.
    store.setState({ activeItemId: 'c' });
    for (let round = 0; round < 5; round++) await settle();
    expect(calls.map((call) => call.itemId)).toEqual(['a', 'c', 'b']);
    expect(store.getState().items.map((item) => item.status)).toEqual(['done', 'done', 'done']);
    expect(store.getState().items[0]!.lastResult).toEqual({ tier: 1, modelId: 'isnet-fp16', executionProvider: 'cpu' });
    expect(ui.getState().provenance.a).toEqual(provenance);
    await service.ensureMatte('a', 0);
    expect(calls).toHaveLength(3);
    service.dispose();
  });

  it('marks failures with a sentence naming the item', async () => {
    const { store, jobs, service } = setUp(async () => {
      throw new StudioError('MODEL_MISSING', 'The matting model file is missing.');
    });
    addItems(store, [{ id: 'a', path: '/a.png', name: 'a.png', kind: 'image', width: 4, height: 4 }]);
    for (let round = 0; round < 3; round++) await settle();
    const item = store.getState().items[0]!;
    expect(item.status).toBe('failed');
    expect(item.errorMessage).toBe('Could not cut out “a.png”: The matting model file is missing.');
    expect(jobs.getState().notices.map((notice) => notice.text)).toEqual([item.errorMessage]);
    expect(jobs.getState().jobs).toEqual([]);
    service.dispose();
  });

  it('cancelling a background job leaves the item pending and skipped', async () => {
    const { store, jobs, calls, service } = setUp(
      (_input, signal) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new StudioError('CANCELLED', 'cancelled')))),
    );
    addItems(store, [{ id: 'a', path: '/a.png', name: 'a.png', kind: 'image', width: 4, height: 4 }]);
    await settle();
    expect(store.getState().items[0]!.status).toBe('matting');
    jobs.getState().jobs[0]!.cancel();
    for (let round = 0; round < 3; round++) await settle();
    expect(store.getState().items[0]!.status).toBe('pending');
    expect(calls).toHaveLength(1);
    expect(jobs.getState().notices).toEqual([]);
    service.dispose();
  });

  it('re-runs with the chosen model and stores clip flags', async () => {
    const { store, ui, calls, service } = setUp(async () => provenance);
    addItems(store, [{ id: 'c', path: '/c.mp4', name: 'c.mp4', kind: 'clip', width: 4, height: 4, frameCount: 5, fps: 25 }]);
    for (let round = 0; round < 3; round++) await settle();
    ui.setState({ modelId: 'birefnet-lite' });
    await service.ensureMatte('c', 3, { rerun: true });
    expect(calls.at(-1)).toMatchObject({ itemId: 'c', frameIndex: 3, rerun: true, modelId: 'birefnet-lite' });
    await settle();
    expect(store.getState().items[0]!.flaggedFrames).toEqual([2]);
    service.dispose();
  });

  it('an item closed and opened again (a project reopened) is marked done from the cached matte, not left waiting', async () => {
    const { store, calls, service } = setUp(async () => provenance);
    const item = { id: 'a', path: '/a.png', name: 'a.png', kind: 'image' as const, width: 4, height: 4 };
    addItems(store, [item]);
    for (let round = 0; round < 3; round++) await settle();
    expect(store.getState().items[0]!.status).toBe('done');
    // Open Project replaces the document in one go: remove every item, add the project's.
    removeItems(store, ['a']);
    addItems(store, [item]);
    for (let round = 0; round < 3; round++) await settle();
    expect(store.getState().items[0]!.status).toBe('done');
    expect(calls.length).toBeLessThanOrEqual(2);
    service.dispose();
  });

  it('closing the items of one project stops their work, and the next project’s items are cut out', async () => {
    const signals: AbortSignal[] = [];
    const { store, jobs, calls, service } = setUp((input, signal) => {
      if (input.itemId !== 'old') return Promise.resolve(provenance);
      signals.push(signal!);
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new StudioError('CANCELLED', 'cancelled'))));
    });
    addItems(store, [{ id: 'old', path: '/old.png', name: 'old.png', kind: 'image', width: 4, height: 4 }]);
    await settle();
    expect(store.getState().items[0]!.status).toBe('matting');
    removeItems(store, ['old']);
    addItems(store, [
      { id: 'new1', path: '/new1.png', name: 'new1.png', kind: 'image', width: 4, height: 4 },
      { id: 'new2', path: '/new2.png', name: 'new2.png', kind: 'image', width: 4, height: 4 },
    ]);
    for (let round = 0; round < 5; round++) await settle();
    expect(signals[0]!.aborted).toBe(true);
    expect(store.getState().items.map((item) => item.status)).toEqual(['done', 'done']);
    expect(calls.map((call) => call.itemId)).toEqual(['old', 'new1', 'new2']);
    expect(jobs.getState().jobs).toEqual([]);
    expect(jobs.getState().notices).toEqual([]);
    service.dispose();
  });

  it('an item the artist cancelled is offered again once it is closed and reopened', async () => {
    let isBlocking = true;
    const { store, jobs, calls, service } = setUp((_input, signal) =>
      isBlocking ? new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new StudioError('CANCELLED', 'cancelled')))) : Promise.resolve(provenance),
    );
    const item = { id: 'a', path: '/a.png', name: 'a.png', kind: 'image' as const, width: 4, height: 4 };
    addItems(store, [item]);
    await settle();
    jobs.getState().jobs[0]!.cancel();
    for (let round = 0; round < 3; round++) await settle();
    expect(store.getState().items[0]!.status).toBe('pending');
    isBlocking = false;
    removeItems(store, ['a']);
    addItems(store, [item]);
    for (let round = 0; round < 3; round++) await settle();
    expect(store.getState().items[0]!.status).toBe('done');
    expect(calls).toHaveLength(2);
    service.dispose();
  });
});
