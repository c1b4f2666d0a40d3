import { basename } from 'node:path';
import sharp from 'sharp';
import type { Image8 } from '../../../core/imageTypes';
import { isStudioError, StudioError } from '../../../shared/errors';
import { decodeImage } from '../../imageIo/decodeImage';
import { mediaKindOf } from '../../library/expandInputs';

/** A composite background: a flat colour (handed to the encoder) or a picture (composited in the engine). */
export type ClipBackground = { kind: 'color'; color: string } | { kind: 'image'; image: Image8 };

/** True for a background written as a colour, `#rrggbb`; anything else names a picture file. */
export function isBackgroundColor(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}

/**
 * Parses `--background`: `#rrggbb` is a colour; anything else is a picture file, scaled to cover the frame. The
 * picture goes through the same intake as an opened one (`decodeImage`): raster formats only (an SVG or PDF named
 * `.png` is refused, never rendered, since it could pull in other files), the pixel cap checked before decoding,
 * transparency flattened over white. A clip is refused by its name before ffmpeg sees it: a playlist or concat list
 * saved as `.mp4` must not make the export read files the user never chose.
 * @throws StudioError `UNSUPPORTED_FORMAT` (a clip, a vector or unknown file), `FILE_NOT_FOUND`, `FILE_EMPTY`,
 *   `DECODE_FAILED`, `IMAGE_TOO_LARGE`, each with a sentence that names the background.
 */
export async function loadBackground(value: string | undefined, width: number, height: number): Promise<ClipBackground> {
  if (value === undefined) return { kind: 'color', color: '#000000' };
  if (isBackgroundColor(value)) return { kind: 'color', color: value.toLowerCase() };
  if (mediaKindOf(value) === 'clip') {
    throw new StudioError('UNSUPPORTED_FORMAT', `The background ${basename(value)} is a clip; a background is a picture or a #rrggbb colour.`);
  }
  const { image } = await decodeImage(value).catch((error: unknown) => {
    if (!isStudioError(error)) throw error;
    const hint = error.code === 'FILE_NOT_FOUND' ? ' A colour is written #rrggbb.' : '';
    throw new StudioError(error.code, `The background could not be used: ${error.message}${hint}`, error.detail, { cause: error });
  });
  const { data, info } = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { kind: 'image', image: { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) } };
}
