import { afterAll, describe, expect, it } from 'vitest';
import { ModelStore } from '../models/modelStore';
import { bundledModelsDir, hasBundledModels, missingModelsReason } from '../testing/fixtures';
import { toRunnableModel, type RunnableModel } from './mattingSession';
import { inspectModelFile } from './inspectModelFile';
import { SessionCache } from './sessionCache';

if (!hasBundledModels) console.warn(missingModelsReason);

/** A picture-like tensor: smooth ramps per channel, so the model sees structure rather than a flat field. */
/** A model-sized RGB picture with structure in it (a flat one would give a flat matte and prove little). */
function pixelsOf(side: number): Uint8Array {
  return Uint8Array.from({ length: 3 * side * side }, (_, index) => 128 + Math.round(Math.sin(index / 997) * 100));
}

describe.skipIf(!hasBundledModels)('SessionCache (bundled quint8 model)', async () => {
  const { lighter } = hasBundledModels ? await new ModelStore({ bundledDir: bundledModelsDir }).pickTiers() : { lighter: undefined };
  const model = lighter && toRunnableModel(lighter);
  const inWorker = new SessionCache({ providers: ['cpu'], threads: 2 });
  const onHost = new SessionCache({ providers: ['cpu'], threads: 2, inferenceWorker: null });
  afterAll(() => Promise.all([inWorker.dispose(), onHost.dispose()]));

  it('runs the model in the inference worker: the host keeps turning while it runs, and the matte is the same bits', async () => {
    const session = await inWorker.get(model!);
    expect(session.constructor.name).not.toBe('MattingSession');
    const side = session.inputSize().width;
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 1);
    const threaded = await session.run(pixelsOf(side));
    clearInterval(timer);
    // A run on the calling thread holds the loop for its whole length (onnxruntime-node's run is synchronous).
    expect(turns).toBeGreaterThan(20);
    const local = await (await onHost.get(model!)).run(pixelsOf(side));
    expect([threaded.width, threaded.height]).toEqual([local.width, local.height]);
    expect(Buffer.from(threaded.matte.buffer).equals(Buffer.from(local.matte.buffer))).toBe(true);
  });

  it("reads a model file's inputs and outputs in the worker, as on the host, while the host keeps turning", async () => {
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 1);
    const inWorkerShapes = await inWorker.inspect(model!.path);
    clearInterval(timer);
    // Opening a session on the calling thread holds its loop for the whole open (0 turns on the host).
    expect(turns).toBeGreaterThan(20);
    expect(inWorkerShapes).toEqual(await inspectModelFile(model!.path));
    expect(inWorkerShapes.inputNames).toHaveLength(1);
    await expect(inWorker.inspect('/nonexistent/model.onnx')).rejects.toThrow();
  });

  it('hands out one session per model file, and reports errors with their codes', async () => {
    expect(await inWorker.get(model!)).toBe(await inWorker.get(model!));
    const missing: RunnableModel = { ...model!, id: 'gone', path: '/nonexistent/model.onnx' };
    await expect(inWorker.get(missing)).rejects.toMatchObject({ name: 'StudioError', code: 'MODEL_MISSING' });
  });

  it('falls back to the calling thread, once and with the reason, when the worker cannot start', async () => {
    const reasons: string[] = [];
    const cache = new SessionCache({ providers: ['cpu'], threads: 2, inferenceWorker: new URL('file:///nonexistent/inferenceWorker.js'), onFallback: (reason) => reasons.push(reason) });
    try {
      const session = await cache.get(model!);
      const { matte } = await session.run(pixelsOf(session.inputSize().width));
      expect(matte.length).toBe(session.inputSize().width * session.inputSize().height);
      expect(reasons).toEqual(['the inference worker /nonexistent/inferenceWorker.js does not exist']);
    } finally {
      await cache.dispose();
    }
  });
});
