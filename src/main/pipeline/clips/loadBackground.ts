import sharp from 'sharp';
import type { Image8 } from '../../../core/imageTypes';
import { StudioError } from '../../../shared/errors';

/** A composite background: a flat colour (handed to the encoder) or a picture (composited in the engine). */
export type ClipBackground = { kind: 'color'; color: string } | { kind: 'image'; image: Image8 };

/**
 * Parses `--background`: `#rrggbb` is a colour; anything else is a picture file, scaled to cover the frame.
 * @throws StudioError INVALID_INPUT for an unreadable picture.
 */
export async function loadBackground(value: string | undefined, width: number, height: number): Promise<ClipBackground> {
  if (value === undefined) return { kind: 'color', color: '#000000' };
  if (/^#[0-9a-f]{6}$/i.test(value)) return { kind: 'color', color: value.toLowerCase() };
  try {
    const { data, info } = await sharp(value).autoOrient().removeAlpha().resize(width, height, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
    return { kind: 'image', image: { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) } };
  } catch (error) {
    throw new StudioError('INVALID_INPUT', `The background "${value}" is neither a #rrggbb colour nor a picture that can be read.`, String(error));
  }
}
