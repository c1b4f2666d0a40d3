import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { secretText, writeHostileClips } from '../testing/hostileInputs';
import { decodeFrames } from './decodeFrames';
import { probeMedia } from './probeMedia';
import { allowedContainerFormats, isAllowedContainer, runFfmpeg, withProtocolWhitelist } from './runFfmpeg';
import { hasFfmpeg, makeTempFolder, makeTestClip, missingFfmpegReason } from './testing/mediaTestKit';

if (!hasFfmpeg) console.warn(missingFfmpegReason);

describe('input allowlists on every ffmpeg/ffprobe invocation', () => {
  it('adds protocol and container whitelists before probed inputs, and only the protocol one where our code forces -f', () => {
    const list = allowedContainerFormats.join(',');
    expect(withProtocolWhitelist(['-ss', '1', '-i', 'a.mp4', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-i', 'pipe:0', '-i', 'b.mov', '-f', 'null', '-'])).toEqual([
      '-ss', '1', '-protocol_whitelist', 'file,pipe', '-format_whitelist', list, '-i', 'a.mp4',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-protocol_whitelist', 'file,pipe', '-i', 'pipe:0',
      '-protocol_whitelist', 'file,pipe', '-format_whitelist', list, '-i', 'b.mov', '-f', 'null', '-',
    ]);
    expect(isAllowedContainer('mov,mp4,m4a,3gp,3g2,mj2')).toBe(true);
    expect(isAllowedContainer('matroska,webm')).toBe(true);
    for (const refused of ['hls', 'concat', 'image2', 'ffmetadata', 'lavfi']) expect(isAllowedContainer(refused)).toBe(false);
  });
});

describe.skipIf(!hasFfmpeg)('clips that refer to other files are refused with a typed error', () => {
  it('HLS playlist, ffconcat list and image2 pattern named .mp4: UNSUPPORTED_FORMAT from probe and decode, the segment never read', async () => {
    const folder = await makeTempFolder('hostile-clips-');
    try {
      const segment = join(folder.path, 'segment.ts');
      await makeTestClip(segment, { frames: 5 });
      const clips = await writeHostileClips(folder.path, await readFile(segment));
      for (const [kind, path] of [['HLS playlist', clips.playlist], ['ffconcat list', clips.concat]] as const) {
        const error = await probeMedia(path).catch((caught: unknown) => caught);
        expect(isStudioError(error, 'UNSUPPORTED_FORMAT'), String(error)).toBe(true);
        expect((error as Error).message).toContain(kind);
        expect((error as Error).message).not.toContain(secretText);
      }
      const pattern = await probeMedia(clips.pattern).catch((caught: unknown) => caught);
      expect(isStudioError(pattern, 'UNSUPPORTED_FORMAT', 'DECODE_FAILED'), String(pattern)).toBe(true);
      // Even with a forged probe result (a stale cache), ffmpeg itself refuses the playlist.
      const real = await probeMedia(segment).catch(() => undefined);
      const forged = { ...(real ?? (await probeMedia(await makeTestClip(join(folder.path, 'real.mp4'))))), path: clips.playlist };
      const decoding = (async () => {
        for await (const frame of decodeFrames(clips.playlist, { info: forged })) void frame;
      })();
      const decodeError = await decoding.catch((caught: unknown) => caught);
      expect(isStudioError(decodeError, 'UNSUPPORTED_FORMAT'), String(decodeError)).toBe(true);
      const direct = await runFfmpeg(['-i', clips.concat, '-f', 'null', '-']).catch((caught: unknown) => caught);
      expect(isStudioError(direct, 'UNSUPPORTED_FORMAT'), String(direct)).toBe(true);
    } finally {
      await folder.remove();
    }
  });

  it('ordinary MP4 clips still probe', async () => {
    const folder = await makeTempFolder('plain-clip-');
    try {
      const info = await probeMedia(await makeTestClip(join(folder.path, 'plain.mp4')));
      expect(info.formatName).toContain('mov');
    } finally {
      await folder.remove();
    }
  });
});
