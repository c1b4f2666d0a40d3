import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { fixture, hasFixtures, missingFixturesReason } from '../testing/fixtures';
import { decodeFrames, proxySize, type DecodedFrame } from './decodeFrames';
import { probeMedia } from './probeMedia';
import { runFfmpeg } from './runFfmpeg';
import { hasFfmpeg, makeTempFolder, makeTestClip, meanLevel, missingFfmpegReason } from './testing/mediaTestKit';

if (!hasFfmpeg) console.warn(missingFfmpegReason);
else if (!hasFixtures) console.warn(missingFixturesReason);

async function collect(iterator: AsyncIterable<DecodedFrame>): Promise<DecodedFrame[]> {
  const frames: DecodedFrame[] = [];
  for await (const frame of iterator) frames.push(frame);
  return frames;
}

describe('proxySize', () => {
  it('fits the longer side and never upscales', () => {
    expect(proxySize(720, 1280, 160)).toEqual({ width: 90, height: 160 });
    expect(proxySize(1920, 1080, 512)).toEqual({ width: 512, height: 288 });
    expect(proxySize(320, 240, 512)).toEqual({ width: 320, height: 240 });
    expect(proxySize(320, 240)).toEqual({ width: 320, height: 240 });
  });
});

describe.skipIf(!hasFfmpeg || !hasFixtures)('decodeFrames on the fixture clips', () => {
  it('streams RGB frames with index and time', async () => {
    const frames = await collect(decodeFrames(fixture('clips/lp_d12_room.mp4'), { maxFrames: 4 }));
    expect(frames.map((frame) => frame.index)).toEqual([0, 1, 2, 3]);
    expect(frames.map((frame) => frame.timeSec)).toEqual([0, 0.04, 0.08, 0.12]);
    for (const { image } of frames) {
      expect([image.width, image.height, image.channels, image.data.length]).toEqual([512, 512, 3, 512 * 512 * 3]);
    }
    expect(frames[0]!.image.data).not.toEqual(frames[3]!.image.data);
  });

  it('keeps the vertical clip upright and downscales RGBA proxies', async () => {
    const frames = await collect(decodeFrames(fixture('clips/lp_d13_vertical_office.mp4'), { maxFrames: 3, maxSide: 160, channels: 4 }));
    expect(frames).toHaveLength(3);
    expect([frames[0]!.image.width, frames[0]!.image.height, frames[0]!.image.channels]).toEqual([90, 160, 4]);
    expect(frames[0]!.image.data[3]).toBe(255);
  });

  it('yields exactly the probed frame count for a whole clip', async () => {
    const path = fixture('clips/lp_d19_plainwall.mp4');
    const info = await probeMedia(path);
    let count = 0;
    for await (const frame of decodeFrames(path, { info, maxSide: 32 })) expect(frame.index).toBe(count++);
    expect(count).toBe(info.frameCount);
  });

  it.each(['clips/lp_d12_room.mp4', 'clips/st_WDA_AOC_mpeg4.mp4'])('seeks frame-accurately in %s', async (clip) => {
    const start = 37;
    const fromStart = await collect(decodeFrames(fixture(clip), { maxFrames: start + 2, maxSide: 64 }));
    const seeked = await collect(decodeFrames(fixture(clip), { startFrame: start, maxFrames: 2, maxSide: 64 }));
    expect(seeked.map((frame) => frame.index)).toEqual([start, start + 1]);
    expect(seeked[0]!.timeSec).toBeCloseTo(start / 25, 9);
    expect(Buffer.compare(seeked[0]!.image.data, fromStart[start]!.image.data)).toBe(0);
    expect(Buffer.compare(seeked[1]!.image.data, fromStart[start + 1]!.image.data)).toBe(0);
  });

  it('cancels with CANCELLED and stops when the consumer breaks', async () => {
    const controller = new AbortController();
    const error = await (async () => {
      for await (const frame of decodeFrames(fixture('clips/lp_d13_vertical_office.mp4'), { signal: controller.signal })) {
        if (frame.index === 1) controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(isStudioError(error, 'CANCELLED')).toBe(true);
  });
});

describe.skipIf(!hasFfmpeg)('decodeFrames on synthetic clips', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  beforeAll(async () => {
    folder = await makeTempFolder();
  });
  afterAll(() => folder.remove());

  it('stops when its reader stops early, even after ffmpeg has exited with frames left unread', async () => {
    // 32×24 RGB frames: the rest of the clip fits in the pipe, so ffmpeg exits before anyone reads it. A full disk
    // ending a PNG-sequence export at frame 9 of 15 hung here for good: the pipe's unread bytes held 'close' back.
    const path = await makeTestClip(join(folder.path, 'early.mp4'), { width: 32, height: 24, frames: 30 });
    const frames = decodeFrames(path, { maxFrames: 20 })[Symbol.asyncIterator]();
    expect((await frames.next()).done).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await frames.return(undefined)).toEqual({ done: true, value: undefined });
  });

  it('applies rotation so frames have the displayed size', async () => {
    const plain = await makeTestClip(join(folder.path, 'plain.mp4'), { width: 64, height: 48, frames: 3 });
    const rotated = join(folder.path, 'rotated.mp4');
    await runFfmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-y', rotated]);
    const frames = await collect(decodeFrames(rotated));
    expect(frames).toHaveLength(3);
    expect([frames[0]!.image.width, frames[0]!.image.height]).toEqual([48, 64]);
  });

  it('resamples variable frame rate onto the nominal timeline with the probed count', async () => {
    const path = await makeTestClip(join(folder.path, 'vfr.mp4'), { width: 32, height: 24, rate: '30', frames: 30, extraArgs: ['-vf', 'select=lt(mod(n\\,10)\\,7)', '-fps_mode', 'vfr'] });
    const info = await probeMedia(path);
    const frames = await collect(decodeFrames(path, { info }));
    expect(frames).toHaveLength(info.frameCount);
    // Source frames 7–9, 17–19, … were dropped: on the timeline those slots repeat the previous frame, the rest step
    // up by one grey level each. The last slot is real (not padding), so it steps too.
    frames.forEach((frame, index) => {
      if (index === 0) return;
      const step = meanLevel(frame.image) - meanLevel(frames[index - 1]!.image);
      if (index % 10 >= 7) expect(Math.abs(step), `slot ${index}`).toBeLessThan(1);
      else expect(step, `slot ${index}`).toBeGreaterThan(3);
    });
  });
});
