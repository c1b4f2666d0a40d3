import { afterAll, describe, expect, it, vi } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { KernelWorkers } from './kernelWorkers';
import type { RefineJob } from './refineJob';
import { RefinePool } from './refinePool';

/** A strip-like job: a 64×48 picture with a soft-edged disc, its matte already at the picture's size. */
function stripJob(): RefineJob {
  const width = 64;
  const height = 48;
  const image = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
  const matte = { width, height, channels: 1, data: new Float32Array(width * height) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const alpha = Math.min(1, Math.max(0, 12 - Math.hypot(x - 32, y - 24) / 1.5));
      image.data.set([40 + 180 * alpha, 90 + 60 * alpha, 200 - 80 * alpha], (y * width + x) * 3);
      matte.data[y * width + x] = alpha;
    }
  }
  return { image, matte, matteIsUpsampled: true, settings: refinementSettingsSchema.parse({ radiusPx: 6, cartoonMode: 'off' }), output: 'straight', layouts: ['straight'] };
}

describe('spare kernel lanes', () => {
  let isModelRunning = false;
  const workers = new KernelWorkers({ workers: 1, spareWorkers: 1, isModelRunning: () => isModelRunning });
  afterAll(() => workers.dispose());

  it('stay asleep through a session’s first still, wake on its second, and take strips once warm', async () => {
    expect(workers.stripLanes).toBe(1);
    workers.noteStill(stripJob());
    expect(workers.spareLaneStates).toEqual(['asleep']); // a one-picture command never starts them
    workers.noteStill(stripJob());
    expect(workers.spareLaneStates).toEqual(['warming']);
    expect(workers.stripLanes).toBe(1); // not before its warm-up strips ran
    await vi.waitFor(() => expect(workers.stripLanes).toBe(2), { timeout: 60_000, interval: 50 });
    const onSpare = await workers.runOnLane(1, stripJob());
    const onFirst = await workers.runOnLane(0, stripJob());
    expect(Array.from(onSpare.layers!.straight!.data)).toEqual(Array.from(onFirst.layers!.straight!.data));
  });

  it('leave the model’s core to the model while it runs', () => {
    isModelRunning = true;
    try {
      expect(workers.spareLaneStates).toEqual(['ready']);
      expect(workers.stripLanes).toBe(1);
    } finally {
      isModelRunning = false;
    }
    expect(workers.stripLanes).toBe(2);
  });

  it('moves the planes of a job that owns them to the worker instead of copying them', async () => {
    await vi.waitFor(() => expect(workers.stripLanes).toBe(2), { timeout: 60_000, interval: 50 });
    const owned = { ...stripJob(), ownsPlanes: true };
    const kept = stripJob();
    await Promise.all([workers.runOnLane(1, owned), workers.runOnLane(1, kept)]);
    expect(owned.image.data.byteLength).toBe(0); // detached: transferred
    expect(owned.matte.data.byteLength).toBe(0);
    expect(kept.image.data.byteLength).toBe(64 * 48 * 3);
  });
});

describe('a pool that may only run jobs in a worker', () => {
  it('fails its jobs when no worker can start, instead of running them on the host', async () => {
    const pool = new RefinePool({ workerOnly: true, workerEntry: new URL('./no-such-worker.mjs', import.meta.url), startTimeoutMs: 10_000 });
    try {
      await expect(pool.run(stripJob())).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      await pool.dispose();
    }
  });

  it('as a spare lane, never counts towards a still’s strips when its worker cannot start', async () => {
    const workers = new KernelWorkers({ workers: 1, spareWorkers: 1, workerEntry: new URL('./no-such-worker.mjs', import.meta.url), startTimeoutMs: 10_000 });
    try {
      workers.noteStill(stripJob());
      workers.noteStill(stripJob());
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(workers.stripLanes).toBe(1);
      // The strip still runs, on the regular lane (in-process here, as no worker can start).
      expect((await workers.runOnLane(1, stripJob())).layers!.straight!.data.length).toBe(64 * 48 * 4);
    } finally {
      await workers.dispose();
    }
  });
});
