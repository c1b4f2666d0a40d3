import { afterEach, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { clearFfmpegCache, resolveFfmpeg, toUnpackedAsarPath } from './resolveFfmpeg';
import { hasFfmpeg, missingFfmpegReason } from './testing/mediaTestKit';

if (!hasFfmpeg) console.warn(missingFfmpegReason);
const nowhere = '/nonexistent-matte-studio';

describe('resolveFfmpeg', () => {
  afterEach(() => clearFfmpegCache());

  it('throws FFMPEG_MISSING naming all three options when nothing works', async () => {
    const env = { FFMPEG_PATH: `${nowhere}/ffmpeg`, PATH: nowhere };
    const error = await resolveFfmpeg({ env, skipPackages: true }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'FFMPEG_MISSING')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('FFMPEG_PATH');
    expect(message).toContain('ffmpeg-static');
    expect(message).toContain('PATH');
  });

  it('does not cache a failure', async () => {
    const env = { PATH: nowhere };
    await expect(resolveFfmpeg({ env, skipPackages: true })).rejects.toThrow();
    await expect(resolveFfmpeg({ env, skipPackages: true })).rejects.toThrow();
  });

  it('rewrites app.asar to app.asar.unpacked for packaged binaries', () => {
    expect(toUnpackedAsarPath('/opt/Matte Studio/resources/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe(
      '/opt/Matte Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg',
    );
    expect(toUnpackedAsarPath('/usr/bin/ffmpeg')).toBe('/usr/bin/ffmpeg');
  });

  describe.skipIf(!hasFfmpeg)('with ffmpeg installed', () => {
    it('prefers FFMPEG_PATH and finds ffprobe beside it when PATH has nothing', async () => {
      const { ffmpeg } = await resolveFfmpeg();
      const paths = await resolveFfmpeg({ env: { FFMPEG_PATH: ffmpeg, PATH: nowhere }, skipPackages: true });
      expect(paths.ffmpeg).toBe(ffmpeg);
      expect(paths.ffmpegSource).toBe('env');
      expect(paths.ffprobeSource).toBe('sibling');
      expect(paths.version).toMatch(/^ffmpeg version/);
    });

    it('falls through a broken FFMPEG_PATH to PATH', async () => {
      const paths = await resolveFfmpeg({ env: { ...process.env, FFMPEG_PATH: '/bin/false' }, skipPackages: true });
      expect(paths.ffmpegSource).toBe('path');
      expect(paths.ffmpeg).toMatch(/^\/.*ffmpeg$/);
    });

    it('caches the answer per environment', () => {
      const env = { ...process.env };
      expect(resolveFfmpeg({ env })).toBe(resolveFfmpeg({ env }));
    });
  });
});
