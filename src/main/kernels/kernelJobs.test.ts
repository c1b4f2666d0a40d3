import { afterAll, describe, expect, it, vi } from 'vitest';
import { assessMatte } from '../../core/matting/assessMatte';
import { classicalMatte } from '../../core/matting/classicalMatte';
import { detectCartoon } from '../../core/matting/detectCartoon';
import { refinementSettingsSchema } from '../../shared/settings';
import { releaseWorkingArrays, withWorkingArrays, workingArrayBytes } from '../../core/workingArrays';
import { runKernelJob } from './kernelJobs';
import type { ClipFrameState, RefineResult } from './refineJob';
import { RefinePool } from './refinePool';

/** A 48×40 picture: a warm disc on a cool backdrop, and a matte of the disc. */
function scene(shiftPx = 0) {
  const width = 48;
  const height = 40;
  const image = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
  const matte = { width, height, channels: 1, data: new Float32Array(width * height) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - 24 - shiftPx) ** 2 + (y - 20) ** 2 < 120;
      image.data.set(inside ? [220, 150, 120] : [40, 90, 200], (y * width + x) * 3);
      matte.data[y * width + x] = inside ? 1 : 0;
    }
  }
  return { image, matte };
}

describe('the kernel worker runs every heavy kernel the host used to', () => {
  const pool = new RefinePool();
  afterAll(() => pool.dispose());

  it('cartoon detection, the quality check and the classical matte give what they give in-process', async () => {
    const { image, matte } = scene();
    const detection = detectCartoon(image);
    expect(await pool.runKernel({ task: 'detectCartoon', image })).toEqual({ isCartoon: detection.isCartoon, score: detection.score });
    expect(await pool.runKernel({ task: 'assessMatte', matte })).toEqual(assessMatte(matte));
    const classical = await pool.runKernel({ task: 'classicalMatte', image });
    expect(Array.from(classical.data)).toEqual(Array.from(classicalMatte(image).data));
    expect(pool.mode).toBe('worker');
  });

  it('composes every layout an export needs from one refinement, and carries a clip frame’s state to the next', async () => {
    const settings = refinementSettingsSchema.parse({ radiusPx: 4 });
    const first = scene();
    const background = { ...first.image, data: new Uint8Array(first.image.data.length).fill(128) };
    const one = await pool.run({ ...first, settings, output: 'straight', layouts: ['straight', 'premultiplied', 'gray', 'composite'], background, clip: { stabilize: true } });
    const { straight, premultiplied, gray, composite } = one.layers!;
    expect([straight!.channels, premultiplied!.channels, gray!.channels, composite!.channels]).toEqual([4, 4, 1, 4]);
    for (let pixel = 0; pixel < 48 * 40; pixel++) {
      expect(straight!.data[pixel * 4 + 3]).toBe(gray!.data[pixel]);
      expect(composite!.data[pixel * 4 + 3]).toBe(255);
    }
    expect(one.clip!.flicker).toBeUndefined(); // no previous frame yet
    const state: ClipFrameState = one.clip!.state;
    const second = scene(3);
    const two = await pool.run({ ...second, settings, output: 'straight', layouts: ['gray'], clip: { stabilize: true, previous: state } });
    expect(two.clip!.flicker).toBeGreaterThanOrEqual(0);
    expect(two.clip!.state.summary.coverage).toBeGreaterThan(0);
  });

  it('moves the planes of a job that owns them (a still’s strip) instead of copying them, and copies the others', async () => {
    const settings = refinementSettingsSchema.parse({ radiusPx: 4 });
    const owned = { ...scene(), settings, output: 'straight' as const, layouts: ['straight' as const], ownsPlanes: true };
    const kept = { ...scene(), settings, output: 'straight' as const, layouts: ['straight' as const] };
    const [fromOwned, fromKept] = await Promise.all([pool.run(owned), pool.run(kept)]);
    expect([owned.image.data.byteLength, owned.matte.data.byteLength]).toEqual([0, 0]); // detached: transferred
    expect([kept.image.data.byteLength, kept.matte.data.byteLength]).toEqual([48 * 40 * 3, 48 * 40 * 4]);
    expect(Array.from(fromOwned.layers!.straight!.data)).toEqual(Array.from(fromKept.layers!.straight!.data));
  });
});

describe('a pool started ahead of its first job', () => {
  it('runs the jobs queued while its worker starts (asked to start twice)', async () => {
    const early = new RefinePool();
    try {
      early.prestart();
      early.prestart();
      const { matte } = scene();
      // Queued while the worker is still starting: runs once it is up (a lost wake-up would hang here).
      expect(await early.runKernel({ task: 'assessMatte', matte })).toEqual(assessMatte(matte));
      expect(early.mode).toBe('worker');
    } finally {
      await early.dispose();
    }
  });

  it('has its worker up before any job was sent', async () => {
    const early = new RefinePool();
    try {
      early.prestart();
      await vi.waitFor(() => expect(early.mode).toBe('worker'), { timeout: 30_000, interval: 50 });
    } finally {
      await early.dispose();
    }
  });
});

describe('a refinement alone on its thread', () => {
  it('borrows its planes from the working arrays and packs the same pixels as one that allocates them', async () => {
    const { image, matte } = scene(2);
    const settings = refinementSettingsSchema.parse({ radiusPx: 6 });
    const job = { image, matte, settings, output: 'straight' as const, layouts: ['straight' as const, 'gray' as const] };
    releaseWorkingArrays();
    withWorkingArrays((borrow) => borrow(Float32Array, 1_000_000).fill(NaN)); // what another job might leave behind
    const borrowed = (await runKernelJob(job, () => false, true)) as RefineResult;
    expect(workingArrayBytes()).toBeGreaterThan(0);
    const allocated = (await runKernelJob(job, () => false)) as RefineResult;
    expect(Array.from(borrowed.layers!.straight!.data)).toEqual(Array.from(allocated.layers!.straight!.data));
    expect(Array.from(borrowed.layers!.gray!.data)).toEqual(Array.from(allocated.layers!.gray!.data));
    // Nothing borrowed is lent out after the job: the next scope starts where the first did.
    const start = withWorkingArrays((borrow) => borrow(Uint8Array, 1).byteOffset);
    expect(start).toBe(0);
  });

  it('run in-process by a pool (no worker could start), leaves the host holding no working arrays after the job', async () => {
    const pool = new RefinePool({ workerEntry: null });
    releaseWorkingArrays();
    const { image, matte } = scene(1);
    const result = await pool.run({ image, matte, settings: refinementSettingsSchema.parse({ radiusPx: 4 }), output: 'straight' });
    expect(result.pixels.length).toBe(48 * 40 * 4);
    expect(pool.mode).toBe('in-process');
    expect(workingArrayBytes()).toBe(0);
    await pool.dispose();
  });
});
