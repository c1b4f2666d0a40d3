import sharp from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import { formatSpec, type OutputFormatId } from '../../shared/outputFormats';

/**
 * Encodes one still output from its composed pixels, with the encoder and options of the format table
 * (`shared/outputFormats.ts`): every path that writes a still encodes it here, so the same input and settings give
 * the same bytes whichever entry point asked.
 * @throws RangeError for a format that is not a still format.
 */
export async function encodeStill(format: OutputFormatId, pixels: Image8): Promise<Buffer> {
  const encoder = formatSpec(format, 'image')?.stillEncoder;
  if (!encoder) throw new RangeError(`Expected a still format for format but received ${format}`);
  const channels = pixels.channels as 1 | 3 | 4;
  const raw = sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), { raw: { width: pixels.width, height: pixels.height, channels } });
  // sharp writes one-channel raw input as RGB unless told the output is grey; a matte stays a one-channel PNG.
  const shaped = channels === 1 ? raw.toColourspace('b-w') : raw;
  if (encoder.codec === 'png') return shaped.png({ compressionLevel: encoder.compressionLevel, adaptiveFiltering: false }).toBuffer();
  // `exact` keeps the estimated colour under fully transparent pixels, as straight-alpha PNG does, so edges stay editable.
  return shaped.webp({ lossless: true, exact: true, effort: encoder.effort, quality: encoder.quality }).toBuffer();
}

/**
 * Reads a written still back: it must hold exactly the alpha that was written (lossless formats), so an output whose
 * transparency did not survive is caught before anyone relies on it. A file without an alpha channel reads as fully
 * opaque: libwebp leaves the channel out of a picture whose alpha is 255 everywhere (a subject filling the frame), and
 * that file is right.
 */
export async function verifyStillAlpha(path: string, pixels: Image8): Promise<boolean> {
  const { data, info } = await sharp(path).ensureAlpha(1).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || data.length !== pixels.data.length) return false;
  // Lossless formats read back every byte as written: one native comparison instead of a 2-megapixel loop on the host.
  if (data.equals(pixels.data)) return true;
  for (let index = 3; index < data.length; index += 4) if (data[index] !== pixels.data[index]) return false;
  return true;
}
