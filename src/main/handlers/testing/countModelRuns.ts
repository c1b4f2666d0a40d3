/** Counts model runs (ONNX session `run` calls) of an engine, for tests that prove a cache hit ran no model. */
import type { Engine } from '../../engine';
import type { OpenSession } from '../../inference/sessionCache';

/** A live count of model runs. */
export interface ModelRunCounter {
  readonly count: number;
}

/** Wraps every session the engine hands out so that its runs are counted. */
export function countModelRuns(engine: Engine): ModelRunCounter {
  const counter = { count: 0 };
  const wrapped = new WeakSet<OpenSession>();
  const get = engine.sessions.get.bind(engine.sessions);
  engine.sessions.get = async (model) => {
    const session = await get(model);
    if (!wrapped.has(session)) {
      wrapped.add(session);
      const run = session.run.bind(session);
      session.run = (pixels, size) => {
        counter.count += 1;
        return run(pixels, size);
      };
    }
    return session;
  };
  return counter;
}

/** True when two mattes hold the same bits. */
export function isSameMatte(a: { data: Float32Array }, b: { data: Float32Array }): boolean {
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}
