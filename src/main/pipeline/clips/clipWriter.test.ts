import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionFor } from '../../media/encodeVideo';
import { probeMedia } from '../../media/probeMedia';
import { hasFfmpeg, makeSquareFrame, makeTempFolder, makeTestClip, missingFfmpegReason } from '../../media/testing/mediaTestKit';
import { openClipWriter } from './clipWriter';
import type { ClipFormat } from './clipFormats';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

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
