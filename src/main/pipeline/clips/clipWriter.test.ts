import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionFor } from '../../media/encodeVideo';
import { probeMedia } from '../../media/probeMedia';
import { runFfprobe } from '../../media/runFfmpeg';
import { hasFfmpeg, makeSquareFrame, makeTempFolder, makeTestClip, missingFfmpegReason } from '../../media/testing/mediaTestKit';
import { openClipWriter } from './clipWriter';
import type { ClipFormat } from './clipFormats';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

describe.skipIf(!hasFfmpeg)('openClipWriter on anamorphic footage', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  beforeAll(async () => {
    folder = await makeTempFolder('clip-writer-sar-');
  });
  afterAll(() => folder.remove());

  // A 4:3 pixel shape (DV/HDV): the export must say so, or an editor shows the picture squeezed.
  it.each(['prores-fast', 'webm-fast', 'mp4', 'matte', 'png-sequence'] as const)('writes %s with the source’s pixel shape', async (format) => {
    const source = await makeTestClip(join(folder.path, `source-${format}.mp4`), { width: 48, height: 64, frames: 3, extraArgs: ['-vf', 'setsar=4/3'] });
    const info = await probeMedia(source);
    const output = join(folder.path, format === 'png-sequence' ? 'frames' : `out-${format}${extensionFor(format)}`);
    const writer = await openClipWriter({ output, format, info, frameCount: 3, background: { kind: 'color', color: '#000000' } });
    for (let index = 0; index < 3; index++) {
      const frame = makeSquareFrame(index, 48, 64);
      // The matte format takes the alpha alone.
      await writer.write(format === 'matte' ? { ...frame, channels: 1, data: frame.data.filter((_, at) => at % 4 === 3) } : frame);
    }
    await writer.finish();
    await writer.verify();
    const written = format === 'png-sequence' ? join(writer.output, (await readdir(writer.output)).sort()[0]!) : writer.output;
    const [stream] = JSON.parse(await runFfprobe(['-print_format', 'json', '-show_streams', '-select_streams', 'v:0', written])).streams;
    expect(stream.sample_aspect_ratio).toBe('4:3');
  });
});

describe.skipIf(!hasFfmpeg)('openClipWriter at 59.94 fps', () => {
  let folder: Awaited<ReturnType<typeof makeTempFolder>>;
  beforeAll(async () => {
    folder = await makeTempFolder('clip-writer-');
  });
  afterAll(() => folder.remove());

  // Phones record at 59.94 fps. WebM keeps milliseconds, so its read-back rate is 19001/317, not 60000/1001: the check
  // once refused (and deleted) every such WebM export as "its frame rate changed".
  it.each(['webm-fast', 'prores-fast', 'mp4'] as const)('writes %s, and its check passes with the rate read back', async (format: ClipFormat & ('webm-fast' | 'prores-fast' | 'mp4')) => {
    const source = await makeTestClip(join(folder.path, `source-${format}.mp4`), { width: 64, height: 48, rate: '60000/1001', frames: 8 });
    const info = await probeMedia(source);
    expect(info.fps).toEqual({ num: 60000, den: 1001 });
    const output = join(folder.path, `out-${format}${extensionFor(format)}`);
    const writer = await openClipWriter({ output, format, info, frameCount: 8, background: { kind: 'color', color: '#000000' } });
    for (let index = 0; index < 8; index++) await writer.write(makeSquareFrame(index, 64, 48));
    await writer.finish();
    await expect(writer.verify()).resolves.toBe(format !== 'mp4');
    expect((await probeMedia(output)).frameCount).toBe(8);
  });
});
