import { describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import { cancelledError, isStudioError } from '../../shared/errors';
import { refinementSettingsSchema } from '../../shared/settings';
import type { KernelRunner } from '../kernels/kernelWorkers';
import type { MatteCache } from '../matteCache/matteCache';
import type { StudioItem } from './itemRegistry';
import { PreviewRenderer } from './previewRenderer';
import type { SourceFrames } from './sourceFrames';

/**
 * A renderer over fakes: a 64×48 picture whose decodes wait until the test releases them (and honour cancellation),
 * a matte cache that always has the matte, and kernels that count cartoon detections and answer refinements at once.
 */
function harness() {
  const picture: Image8 = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3).fill(90) };
  const decodes: Array<() => void> = [];
  let detections = 0;
  const sources = {
    get: (_item: StudioItem, _frameIndex: number, signal?: AbortSignal) =>
      new Promise<Image8>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(cancelledError('Decoding the picture')), { once: true });
        decodes.push(() => resolve(picture));
      }),
  } as unknown as SourceFrames;
  const mattes = {
    modelFor: () => 'model',
    get: () => Promise.resolve({ matte: { width: 32, height: 32, channels: 1, data: new Float32Array(32 * 32).fill(1) }, tier: 1, model: 'model', ep: 'cpu', fallbackReasons: [] }),
  } as unknown as MatteCache;
  const pool = {
    runKernel: () => {
      detections++;
      return Promise.resolve({ isCartoon: false, score: 0.1 });
    },
    run: (job: { image: Image8 }) => Promise.resolve({ width: job.image.width, height: job.image.height, channels: 4, pixels: new Uint8Array(job.image.width * job.image.height * 4), isCartoon: false }),
  } as unknown as KernelRunner;
  const item = { info: { id: 'still', width: 64, height: 48 }, stamp: '1' } as unknown as StudioItem;
  const renderer = new PreviewRenderer(sources, mattes, pool);
  const request = (signal?: AbortSignal) => renderer.render({ item, frameIndex: 0, settings: refinementSettingsSchema.parse({}), maxSide: 32, signal });
  /** Lets the awaited steps before a decode run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { request, decodes, detections: () => detections, settle };
}

describe('PreviewRenderer: the draft-size picture', () => {
  it('two requests arriving while it is made (a prepared draft, then the first tick) decode and detect once', async () => {
    const { request, decodes, detections, settle } = harness();
    const prepared = request();
    const tick = request();
    await settle();
    expect(decodes).toHaveLength(1);
    decodes[0]!();
    const [first, second] = await Promise.all([prepared, tick]);
    expect([first.width, first.height]).toEqual([32, 24]);
    expect([second.width, second.height]).toEqual([32, 24]);
    expect(second.cutoutUrl).not.toBe(first.cutoutUrl);
    expect(detections()).toBe(1);
    // Made once, kept: a later request neither decodes nor detects again.
    await request();
    expect(decodes).toHaveLength(1);
    expect(detections()).toBe(1);
  });

  it('a request cancelled while it is made does not fail another one waiting for it: that one makes it', async () => {
    const { request, decodes, detections, settle } = harness();
    const cancel = new AbortController();
    const cancelled = request(cancel.signal);
    const waiting = request();
    await settle();
    expect(decodes).toHaveLength(1);
    cancel.abort();
    const outcome = await cancelled.catch((error: unknown) => error);
    expect(isStudioError(outcome, 'CANCELLED')).toBe(true);
    await settle();
    expect(decodes).toHaveLength(2);
    decodes[1]!();
    const preview = await waiting;
    expect([preview.width, preview.height]).toEqual([32, 24]);
    expect(detections()).toBe(1);
  });
});
