import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../../shared/contract/modelMethods';
import { StudioError, cancelledError } from '../../../shared/errors';
import { modelSpecSchema } from '../../../shared/modelTypes';
import { createModelsController, type ModelsApi } from './modelsController';

type Listener = (payload: never) => void;

const spec = (id: string, commercialUse = true) =>
  modelSpecSchema.parse({
    id,
    name: `Model ${id}`,
    family: 'u2net',
    tier: 10,
    sizeBytes: 1000,
    input: { width: 320, height: 320, layout: 'NCHW' },
    normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
    output: { needsSigmoid: false },
    licence: { id: commercialUse ? 'MIT' : 'CC-BY-NC-4.0', commercialUse },
    download: { url: `https://example.invalid/${id}.onnx` },
  });

const available = (id: string, partialBytes = 0): ModelEntry => ({ spec: spec(id), state: 'available', source: null, sizeBytes: 1000, isSizeExact: false, partialBytes, canRemove: partialBytes > 0, installJobId: null });
const installed = (id: string): ModelEntry => ({ ...available(id), state: 'installed', source: 'downloaded', isSizeExact: true, canRemove: true });

/** A fake engine whose install waits until the test settles it; the listing is whatever `entries` holds then. */
function setUp(initial: ModelEntry[]) {
  const listeners = new Map<string, Set<Listener>>();
  let entries = initial;
  const calls: string[] = [];
  const notices: string[] = [];
  const removed: string[] = [];
  let settleInstall: ((outcome: { entry?: ModelEntry; error?: unknown }) => void) | undefined;
  const api: ModelsApi = {
    on(name: string, listener: Listener) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(listener);
      return { dispose: () => listeners.get(name)!.delete(listener) };
    },
    async listModels() {
      calls.push('listModels');
      return { models: entries, userFolder: '/home/me/.matte-studio/models' };
    },
    installModel({ modelId }: { modelId: string }) {
      calls.push(`installModel ${modelId}`);
      return new Promise((resolve, reject) => {
        settleInstall = ({ entry, error }) => (entry ? resolve({ model: entry }) : reject(error));
      });
    },
    async cancelModelInstall() {
      calls.push('cancelModelInstall');
      settleInstall?.({ error: cancelledError('Downloading') });
      return { cancelled: true };
    },
    async removeModel({ modelId }: { modelId: string }) {
      calls.push(`removeModel ${modelId}`);
      if (modelId === 'bundled') throw new StudioError('INVALID_INPUT', 'Bundled ships with Matte Studio and cannot be removed.');
      return { freedBytes: 1000 };
    },
  } as unknown as ModelsApi;
  const emit = (name: string, payload: object) => listeners.get(name)?.forEach((listener) => listener(payload as never));
  const controller = createModelsController(api, {
    initialModels: [{ spec: spec('a'), installed: false }],
    notify: (tone, text) => notices.push(`${tone}: ${text}`),
    onRemoved: (id) => removed.push(id),
  });
  return {
    controller,
    calls,
    notices,
    removed,
    emit,
    setEntries: (next: ModelEntry[]) => (entries = next),
    settle: (outcome: { entry?: ModelEntry; error?: unknown }) => settleInstall!(outcome),
    listenerCount: () => listeners.get('onJobProgress')?.size ?? 0,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('models controller', () => {
  it('feeds the picker from the start-up list until the first listing, then from the listing', async () => {
    const { controller } = setUp([installed('a'), available('b')]);
    expect(controller.store.getState().pickerModels.map((model) => [model.spec.id, model.installed])).toEqual([['a', false]]);
    controller.open();
    await tick();
    const state = controller.store.getState();
    expect(state.isDialogOpen).toBe(true);
    expect(state.userFolder).toBe('/home/me/.matte-studio/models');
    expect(state.pickerModels.map((model) => [model.spec.id, model.installed])).toEqual([['a', true], ['b', false]]);
  });

  it('installs with progress from this job only, then lists again so the picker offers the model', async () => {
    const { controller, emit, settle, setEntries, notices, listenerCount } = setUp([available('b', 250)]);
    await controller.refresh();
    const done = controller.install('b');
    const { jobId, fraction } = controller.store.getState().installs.b!;
    // A resume starts from the bytes already on disk.
    expect(fraction).toBe(0.25);
    emit('onJobProgress', { jobId: 'someone-else', stage: 'download', fraction: 0.9 });
    emit('onJobProgress', { jobId, stage: 'download', fraction: 0.6 });
    expect(controller.store.getState().installs.b!.fraction).toBe(0.6);
    setEntries([installed('b')]);
    settle({ entry: installed('b') });
    await done;
    const state = controller.store.getState();
    expect(state.installs).toEqual({});
    expect(state.pickerModels).toEqual([{ spec: spec('b'), installed: true }]);
    expect(notices).toEqual(['info: Installed Model b (1.00 kB).']);
    expect(listenerCount()).toBe(0);
  });

  it('cancel asks the engine to stop; a cancelled install is not reported as a failure and the listing offers Resume', async () => {
    const { controller, calls, setEntries, notices } = setUp([available('b')]);
    await controller.refresh();
    const done = controller.install('b');
    setEntries([available('b', 400)]);
    controller.cancel('b');
    expect(controller.store.getState().installs.b!.isCancelling).toBe(true);
    await done;
    expect(calls).toContain('cancelModelInstall');
    expect(notices).toEqual([]);
    expect(controller.store.getState().failures).toEqual({});
    expect(controller.store.getState().entries).toEqual([available('b', 400)]);
  });

  it('keeps a failed install’s sentence on its row and in a notice', async () => {
    const { controller, settle, notices } = setUp([available('b')]);
    const done = controller.install('b');
    settle({ error: new StudioError('CHECKSUM_MISMATCH', 'The downloaded Model b is damaged or not the expected file, so it was deleted.') });
    await done;
    expect(controller.store.getState().failures.b).toBe('The downloaded Model b is damaged or not the expected file, so it was deleted.');
    expect(notices).toEqual(['error: The downloaded Model b is damaged or not the expected file, so it was deleted.']);
    // Trying again clears the row's failure.
    void controller.install('b');
    expect(controller.store.getState().failures).toEqual({});
  });

  it('removes after confirmation, tells the picker, and reports a refusal in words', async () => {
    const { controller, removed, notices, setEntries } = setUp([installed('b')]);
    await controller.refresh();
    controller.confirmRemoval('b');
    expect(controller.store.getState().confirmingRemoval).toBe('b');
    setEntries([available('b')]);
    await controller.remove('b');
    expect(controller.store.getState()).toMatchObject({ confirmingRemoval: null, removing: [] });
    expect(removed).toEqual(['b']);
    expect(controller.store.getState().pickerModels).toEqual([{ spec: spec('b'), installed: false }]);
    await controller.remove('bundled');
    expect(controller.store.getState().failures.bundled).toBe('Bundled ships with Matte Studio and cannot be removed.');
    expect(notices).toEqual(['info: Removed Model b (1.00 kB freed).', 'error: Bundled ships with Matte Studio and cannot be removed.']);
  });
});
