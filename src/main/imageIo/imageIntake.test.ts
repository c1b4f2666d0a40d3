import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { writeBadInputs } from '../testing/badInputs';
import { writeVectorImages } from '../testing/hostileInputs';
import { allowedImageFormats, checkImageFormat, decodeImage, inspectImage } from './decodeImage';

describe('image intake refuses vector documents and checks what the studio opens', () => {
  it('SVG (also named .png) and PDF named .png: UNSUPPORTED_FORMAT from decodeImage and inspectImage', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'vector-'));
    const vectors = await writeVectorImages(folder);
    for (const path of Object.values(vectors)) {
      for (const read of [decodeImage, inspectImage]) {
        const error = await read(path).catch((caught: unknown) => caught);
        expect(isStudioError(error, 'UNSUPPORTED_FORMAT'), `${path}: ${String(error)}`).toBe(true);
      }
    }
    expect(await decodeImage(vectors.svgAsPng).catch((error: Error) => error.message)).toMatch(/SVG drawing/);
    expect(() => checkImageFormat('svg', 'x.png')).toThrow(/SVG/);
    expect(() => checkImageFormat('pdf', 'x.png')).toThrow(/PDF/);
    expect(() => checkImageFormat(undefined, 'x.png')).toThrow();
    expect([...allowedImageFormats].sort()).toEqual(['gif', 'heif', 'jpeg', 'png', 'tiff', 'webp']);
  });

  it('inspectImage: truncated files and bombs fail with a reason; the awkward-but-valid ones pass with upright sizes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'inspect-'));
    const inputs = await writeBadInputs(folder);
    const codeOf = (path: string) => inspectImage(path).then(() => 'ok', (error: unknown) => (isStudioError(error) ? error.code : `untyped ${String(error)}`));
    expect(await codeOf(inputs['empty.png']!)).toBe('FILE_EMPTY');
    expect(await codeOf(inputs['missing.png']!)).toBe('FILE_NOT_FOUND');
    expect(await codeOf(inputs['truncated.png']!)).toBe('DECODE_FAILED');
    expect(await codeOf(inputs['truncated.jpg']!)).toBe('DECODE_FAILED');
    expect(await codeOf(inputs['random.jpg']!)).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(inputs['bomb.png']!)).toBe('IMAGE_TOO_LARGE');
    for (const name of ['cmyk.jpg', 'sixteen-bit.png', 'animated.gif']) expect(await codeOf(inputs[name]!)).toBe('ok');
    expect(await inspectImage(inputs['rotated.jpg']!)).toMatchObject({ width: 80, height: 96, format: 'jpeg' });
  });
});
