import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { MatteCache } from '../matteCache/matteCache';
import type { TieredMatte } from '../pipeline/computeMatte';
import type { FrameImages } from './frameImages';
import type { StudioItem } from './itemRegistry';
import { ScrubLayers } from './scrubLayers';

/** A 1280×720 clip (proxy 640×360) whose model matte is 64² with the left half opaque. */
const item = { info: { id: 'clip1', kind: 'clip', path: '/clips/a.mp4', name: 'a.mp4', width: 1280, height: 720, frameCount: 10 }, media: { displayWidth: 1280, displayHeight: 720 }, stamp: '1:2' } as unknown as StudioItem;
const matte: TieredMatte = {
  matte: { width: 64, height: 64, channels: 1, data: Float32Array.from({ length: 64 * 64 }, (_, index) => (index % 64 < 32 ? 1 : 0)) },
  tier: 1,
  model: 'isnet-fp16',
  ep: 'cpu',
  fallbackReasons: [],
};
const jpegOf = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#808080' } }).jpeg().toBuffer();

function layersWith(jpeg: Buffer, cached: TieredMatte | undefined): { layers: ScrubLayers; peeks: string[] } {
  const peeks: string[] = [];
  const mattes = {
    modelKey: async () => 'model-key',
    modelFor: () => undefined,
    peek: async (_item: StudioItem, frameIndex: number, _modelKey: string, quality: string) => {
      peeks.push(`${frameIndex}:${quality}`);
      return quality === 'full' ? cached : undefined;
    },
  } as unknown as MatteCache;
  const frames = { frame: async () => jpeg } as unknown as FrameImages;
  return { layers: new ScrubLayers(frames, mattes), peeks };
}

describe('ScrubLayers', () => {
  it('has no layer for a frame without a cached matte, and never runs the model for one', async () => {
    const { layers, peeks } = layersWith(await jpegOf(640, 360), undefined);
    expect(await layers.render(item, 3)).toBeUndefined();
    expect(peeks).toEqual(['3:full', '3:draft']);
  });

  it('sends the proxy JPEG as it is and the matte stretched to its size, made once', async () => {
    const jpeg = await jpegOf(640, 360);
    const { layers, peeks } = layersWith(jpeg, matte);
    const layer = await layers.render(item, 2);
    expect(layer).toMatchObject({ width: 640, height: 360, provenance: { tier: 1, model: 'isnet-fp16', quality: 'full' } });
    expect(layer!.jpeg).toBe(jpeg);
    expect(layer!.alpha.length).toBe(640 * 360);
    expect([layer!.alpha[100 * 640 + 10], layer!.alpha[100 * 640 + 630]]).toEqual([255, 0]);
    await layers.render(item, 2);
    expect(peeks).toEqual(['2:full']);
  });

  it('fits the matte to a frame whose JPEG came out at another size', async () => {
    const { layers } = layersWith(await jpegOf(320, 180), matte);
    const layer = await layers.render(item, 0);
    expect(layer).toMatchObject({ width: 320, height: 180 });
    expect(layer!.alpha.length).toBe(320 * 180);
    expect([layer!.alpha[90 * 320 + 5], layer!.alpha[90 * 320 + 315]]).toEqual([255, 0]);
  });
});
