import { describe, expect, it } from 'vitest';
import { cancelledSkipReason, parseBatchRequest, type BatchItemOutcome, type BatchRequestInput } from '../../../shared/batchTypes';
import { StudioError } from '../../../shared/errors';
import type { StudioApi } from '../connection/connectStudio';
import { createJobStore } from '../jobs/jobStore';
import { createBatchController, rowResult, rowsForRequest, skippedNote, startNext, type BatchRunOutcome } from './batchController';

type Listener = (payload: never) => void;
type RunInput = BatchRequestInput & { jobId: string; trial?: boolean };

const done = (input: string, format: 'png' | 'webp' = 'png'): BatchItemOutcome => ({ input, kind: 'image', outputs: [{ format, path: `/out/${input.slice(1)}` }], skipped: [], failed: [], tier: 3, model: 'classical', ms: 5, notes: [], ep: null, fallbackReasons: [] });
const failed = (input: string): BatchItemOutcome => ({ ...done(input), outputs: [], tier: null, failed: [{ error: { code: 'DECODE_FAILED', message: `${input} could not be read.` } }] });
const stopped = (input: string): BatchItemOutcome => ({ ...done(input), outputs: [], skipped: [{ format: 'png', reason: cancelledSkipReason }] });

/** A fake engine: `script` runs inside runBatch with an emitter for this call's events, and returns the items. */
function setUp(script: (input: RunInput, emit: (name: string, payload: object) => void, cancelled: () => boolean) => Promise<BatchItemOutcome[]>) {
  const listeners = new Map<string, Set<Listener>>();
  const calls: RunInput[] = [];
  const cancels: string[] = [];
  const notices: string[] = [];
  let isCancelled = false;
  const api = {
    on(name: string, listener: Listener) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(listener);
      return { dispose: () => listeners.get(name)!.delete(listener) };
    },
    async runBatch(input: RunInput): Promise<BatchRunOutcome> {
      calls.push(input);
      isCancelled = false;
      const emit = (name: string, payload: object) => listeners.get(name)?.forEach((listener) => listener(payload as never));
      const items = await script(input, emit, () => isCancelled);
      const written = items.reduce((sum, item) => sum + item.outputs.length, 0);
      return { request: parseBatchRequest(input), items, total: rowsForRequest(input).length, written, skipped: 0, failed: items.filter((item) => item.failed.length > 0).length, cancelled: isCancelled, notes: [], elapsedMs: 10, previews: [] };
    },
    async cancelBatch({ jobId }: { jobId: string }) {
      cancels.push(jobId);
      isCancelled = true;
      return { cancelled: true };
    },
  } as unknown as StudioApi;
  const jobs = createJobStore();
  const controller = createBatchController(api, jobs, { notify: (title, body) => notices.push(`${title}: ${body}`) });
  return { controller, jobs, calls, cancels, notices, listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0) };
}

const request: BatchRequestInput = { inputs: ['/a.png', '/b.png', '/c.png'], outDir: '/out', formats: ['png'] };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createBatchController', () => {
  it('follows progress and items of its own job only, shows it in the jobs bar, and notifies at the end', async () => {
    let release!: () => void;
    const { controller, jobs, calls, notices, listenerCount } = setUp(async (input, emit) => {
      emit('onJobProgress', { jobId: 'someone-else', stage: 'matting', fraction: 0.9, itemIndex: 2, itemCount: 3 });
      emit('onJobProgress', { jobId: input.jobId, stage: 'matting', fraction: 0.2, itemIndex: 0, itemCount: 3, itemFraction: 0.6 });
      emit('onBatchItem', { jobId: input.jobId, item: failed('/b.png') });
      await new Promise<void>((resolve) => (release = resolve));
      return [done('/a.png'), failed('/b.png'), done('/c.png')];
    });
    const running = controller.run(request, 'full');
    await tick();
    const state = controller.store.getState();
    expect(state).toMatchObject({ phase: 'running', mode: 'full', fraction: 0.2 });
    expect(state.rows.map((row) => [row.name, row.status, row.fraction])).toEqual([['a.png', 'running', 0.6], ['b.png', 'failed', 1], ['c.png', 'waiting', 0]]);
    expect(state.ended.map((item) => item.input)).toEqual(['/b.png']);
    expect(jobs.getState().jobs).toMatchObject([{ jobId: state.jobId, kind: 'export', title: 'Batch export (3 items)' }]);
    expect(calls[0]).toMatchObject({ trial: false, jobId: state.jobId });
    release();
    await running;
    expect(controller.store.getState()).toMatchObject({ phase: 'finished', fraction: 1, outcome: { written: 2, failed: 1 } });
    expect(controller.store.getState().committed).toBe(controller.store.getState().outcome);
    expect(controller.store.getState().rows.map((row) => row.status)).toEqual(['done', 'failed', 'done']);
    expect(jobs.getState().jobs).toEqual([]);
    expect(listenerCount()).toBe(0);
    expect(notices).toEqual(['Batch export finished with failures: 2 files written from 3 items, 1 failed.']);
  });

  it('cancels through cancelBatch and keeps the partial outcome; the items never reached read "Not run"', async () => {
    const { controller, cancels } = setUp(async (input, emit, cancelled) => {
      emit('onBatchItem', { jobId: input.jobId, item: done('/a.png') });
      while (!cancelled()) await tick();
      return [done('/a.png'), stopped('/b.png')];
    });
    const running = controller.run(request, 'full');
    await tick();
    controller.cancel();
    expect(controller.store.getState().isCancelling).toBe(true);
    await running;
    const state = controller.store.getState();
    expect(cancels).toEqual([state.jobId]);
    expect(state.outcome).toMatchObject({ cancelled: true, written: 1 });
    expect(state.rows.map((row) => row.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(state.isCancelling).toBe(false);
  });

  it('a trial runs with trial: true and does not become what "Retry failed" uses', async () => {
    const { controller, calls, notices } = setUp(async () => [done('/a.png')]);
    await controller.run({ ...request, limit: 1 }, 'trial');
    expect(calls[0]).toMatchObject({ trial: true, limit: 1 });
    expect(controller.store.getState().rows.map((row) => row.name)).toEqual(['a.png']);
    expect(controller.store.getState().committed).toBeNull();
    expect(notices).toEqual([]);
  });

  it('"Retry failed" runs only the failed items of the last committed run', async () => {
    const { controller, calls } = setUp(async (input) => (input.only ? [done('/b.png')] : [done('/a.png'), failed('/b.png'), done('/c.png')]));
    await controller.run(request, 'full');
    await controller.retryFailed();
    expect(calls[1]).toMatchObject({ only: ['/b.png'], formats: ['png'], inputs: request.inputs, trial: false });
    expect(controller.store.getState()).toMatchObject({ mode: 'retry', rows: [{ name: 'b.png', status: 'done' }], committed: { failed: 0 } });
    // Nothing failed any more: a second retry does nothing.
    await controller.retryFailed();
    expect(calls).toHaveLength(2);
  });

  it('a request the engine refuses ends the run with its sentence', async () => {
    const { controller } = setUp(async () => {
      throw new StudioError('INVALID_INPUT', 'The name template uses {size}.');
    });
    await controller.run(request, 'full');
    expect(controller.store.getState()).toMatchObject({ phase: 'finished', error: 'The name template uses {size}.', outcome: null });
  });

  it('marks the next items running as others end, as the engine workers take them in order', () => {
    const rows = rowsForRequest({ inputs: ['/a.png', '/b.png', '/c.png', '/d.png'], only: ['/d.png', '/a.png', '/b.png'] });
    expect(rows.map((row) => row.name)).toEqual(['a.png', 'b.png', 'd.png']);
    const started = startNext(rows, 2);
    expect(started.map((row) => row.status)).toEqual(['running', 'running', 'waiting']);
    const afterFirst = startNext([{ ...started[0]!, status: 'done' }, ...started.slice(1)], 2);
    expect(afterFirst.map((row) => row.status)).toEqual(['done', 'running', 'running']);
    expect(rowsForRequest({ inputs: ['/a.png', '/b.png'], limit: 1 }).map((row) => row.input)).toEqual(['/a.png']);
  });
});

describe('row results: no "Done" without outputs', () => {
  const clip = (skipped: BatchItemOutcome['skipped'], outputs: BatchItemOutcome['outputs'] = []): BatchItemOutcome => ({ ...done('/c.mp4'), kind: 'clip', outputs, skipped });
  it('a clip with only still formats ticked is skipped, saying why', () => {
    const item = clip([{ format: 'png', reason: 'PNG, straight alpha does not apply to clips.' }, { format: 'webp', reason: 'WebP does not apply to clips.' }]);
    expect(rowResult(item)).toEqual({ status: 'skipped', note: 'Skipped — no clip format chosen' });
  });
  it('a still with only clip formats ticked is skipped, saying why', () => {
    expect(skippedNote({ kind: 'image', skipped: [{ format: 'prores', reason: 'ProRes does not apply to stills.' }] })).toBe('Skipped — no still format chosen');
  });
  it('an item whose files all exist (skip policy) is skipped with the engine’s reason', () => {
    expect(rowResult(clip([{ format: 'prores', reason: 'c.mov already exists.' }]))).toEqual({ status: 'skipped', note: 'Skipped — c.mov already exists' });
  });
  it('an item that wrote something is done; failures and cancellations keep their status', () => {
    expect(rowResult(done('/a.png')).status).toBe('done');
    expect(rowResult(clip([{ format: 'png', reason: 'n/a' }], [{ format: 'prores', path: '/out/c.mov' }])).status).toBe('done');
    expect(rowResult(failed('/b.png')).status).toBe('failed');
    expect(rowResult(stopped('/d.png')).status).toBe('cancelled');
  });
});
