import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStudioError } from '../../../shared/errors';
import { makeTempFolder } from '../../media/testing/mediaTestKit';
import { writeBadInputs } from '../../testing/badInputs';
import { secretText, writeHostileClips, writeVectorImages } from '../../testing/hostileInputs';
import { loadBackground } from './loadBackground';

let folder: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  folder = await makeTempFolder('background-');
});
afterAll(() => folder.remove());

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('loadBackground', () => {
  it('takes a #rrggbb colour, and a picture scaled to cover the frame', async () => {
    expect(await loadBackground('#3366CC', 8, 6)).toEqual({ kind: 'color', color: '#3366cc' });
    const path = join(folder.path, 'wall.png');
    await sharp({ create: { width: 40, height: 10, channels: 3, background: { r: 200, g: 10, b: 20 } } }).png().toFile(path);
    const background = await loadBackground(path, 8, 6);
    expect(background.kind === 'image' && [background.image.width, background.image.height, background.image.channels, ...background.image.data.slice(0, 3)]).toEqual([8, 6, 3, 200, 10, 20]);
  });

  it('refuses an SVG or a PDF named .png (never rendered) through the picture intake', async () => {
    const vectors = await writeVectorImages(folder.path);
    for (const path of [vectors.svgAsPng, vectors.svg, vectors.pdfAsPng]) {
      const error = await failureOf(loadBackground(path, 8, 6));
      expect(isStudioError(error, 'UNSUPPORTED_FORMAT'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/^The background could not be used: .* is (an SVG drawing|not an image)/);
    }
  });

  it('refuses an HLS playlist or ffconcat list, as .mp4 or as .png, without reading the file it points at', async () => {
    const clips = await writeHostileClips(folder.path);
    const playlistAsPng = join(folder.path, 'playlist-as.png');
    await writeFile(playlistAsPng, await readFile(clips.playlist));
    for (const path of [clips.playlist, clips.concat, playlistAsPng]) {
      const error = await failureOf(loadBackground(path, 8, 6));
      expect(isStudioError(error, 'UNSUPPORTED_FORMAT'), String(error)).toBe(true);
      expect(JSON.stringify(error) + String(error)).not.toContain(secretText);
    }
  });

  it('says what a background is when the value is neither a colour nor a file, and keeps the pixel cap', async () => {
    const missing = await failureOf(loadBackground('red', 8, 6));
    expect(isStudioError(missing, 'FILE_NOT_FOUND')).toBe(true);
    expect((missing as Error).message).toMatch(/#rrggbb/);
    const bad = await writeBadInputs(folder.path);
    expect(isStudioError(await failureOf(loadBackground(bad['bomb.png']!, 8, 6)), 'IMAGE_TOO_LARGE')).toBe(true);
    expect(isStudioError(await failureOf(loadBackground(bad['truncated.png']!, 8, 6)), 'DECODE_FAILED')).toBe(true);
  });
});
