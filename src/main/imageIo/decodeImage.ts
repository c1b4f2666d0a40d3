import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type Metadata as SharpMetadata } from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import { StudioError } from '../../shared/errors';

/** Options for {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Largest accepted image, in pixels (width × height); larger files are refused before decoding. @default 100_000_000 */
  maxPixels?: number;
}

/** An upright 8-bit sRGB image with notes about what was done to read it. */
export interface DecodedImage {
  image: Image8;
  /** Plain-language remarks, e.g. "Animated image: the first of 12 frames was used." */
  notes: string[];
  /** Source format as sharp names it (jpeg, png, webp, gif, tiff…). */
  format: string;
  /** True when the source carried its own alpha channel (flattened over white for matting). */
  hadAlpha: boolean;
}

export const defaultMaxPixels = 100_000_000;

/**
 * Raster formats Matte Studio decodes, as sharp names them (AVIF and HEIC both read as `heif`). Anything else sharp
 * could open is refused: SVG and PDF (vector documents that can pull in other files and render at any size, also when
 * named `.png`), libvips' own format, and whatever else a libvips build may add.
 */
export const allowedImageFormats: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

/** Throws `UNSUPPORTED_FORMAT` unless sharp's `format` is one of {@link allowedImageFormats}. */
export function checkImageFormat(format: string | undefined, name: string): void {
  if (format !== undefined && allowedImageFormats.has(format)) return;
  const what = format === 'svg' ? 'an SVG drawing' : format === 'pdf' ? 'a PDF document' : format ? `a ${format} file` : 'not a picture';
  throw new StudioError('UNSUPPORTED_FORMAT', `${name} is ${what}; Matte Studio opens JPEG, PNG, WebP, GIF, TIFF, AVIF and HEIC pictures.`, `format ${String(format)}`);
}

/** What {@link inspectImage} learned from a file without keeping its pixels. */
export interface ImageInspection {
  /** Upright size (EXIF orientations 5–8 swap the sides). */
  width: number;
  height: number;
  format: string;
}

/**
 * Checks that a file is a picture Matte Studio can use, the way the studio does when it opens one: an allowed raster
 * format, within the pixel cap (from the header, before decoding), and decodable to the end (a small reduced decode,
 * so truncated and damaged files are caught now, not when matting). Throws the same StudioErrors as {@link decodeImage}.
 */
export async function inspectImage(path: string, options: DecodeImageOptions = {}): Promise<ImageInspection> {
  const name = basename(path);
  const maxPixels = options.maxPixels ?? defaultMaxPixels;
  const bytes = await readSource(path, name);
  const metadata = await readMetadata(bytes, name);
  checkImageFormat(metadata.format, name);
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw new StudioError('DECODE_FAILED', `${name} has no readable picture size.`);
  checkPixelCount(width, height, maxPixels, name);
  try {
    await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, pages: 1, page: 0 }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    throw new StudioError('DECODE_FAILED', `${name} could not be read: the file is damaged or incomplete.`, String(error));
  }
  return { width, height, format: metadata.format! };
}

function checkPixelCount(width: number, height: number, maxPixels: number, name: string): void {
  if (width * height > maxPixels) {
    throw new StudioError(
      'IMAGE_TOO_LARGE',
      `${name} is ${width}×${height} pixels, more than the ${Math.round(maxPixels / 1e6)} megapixels Matte Studio accepts.`,
    );
  }
}

/**
 * Reads an image file into upright 8-bit sRGB RGB with sharp.
 * Every way a file can be bad ends in a StudioError with a sentence a user understands:
 * missing, empty, not an image, truncated, too large (checked from the header, before any pixel is decoded).
 * CMYK and 16-bit files are converted to 8-bit sRGB; EXIF orientation is applied; animations give their first frame.
 */
export async function decodeImage(path: string, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const name = basename(path);
  const maxPixels = options.maxPixels ?? defaultMaxPixels;
  const bytes = await readSource(path, name);
  const metadata = await readMetadata(bytes, name);
  checkImageFormat(metadata.format, name);
  const notes: string[] = [];
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw new StudioError('DECODE_FAILED', `${name} has no readable picture size.`);
  checkPixelCount(width, height, maxPixels, name);
  if ((metadata.pages ?? 1) > 1 && (metadata.format === 'gif' || metadata.format === 'webp')) {
    notes.push(`Animated image: the first of ${metadata.pages} frames was used.`);
  }
  if (metadata.space === 'cmyk') notes.push('CMYK image converted to sRGB.');
  if (metadata.depth && !['uchar', 'char'].includes(metadata.depth)) notes.push('16-bit image reduced to 8 bits per channel.');
  const hadAlpha = metadata.hasAlpha === true;
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, pages: 1, page: 0 })
      .autoOrient()
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    const image: Image8 = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    return { image, notes, format: metadata.format ?? 'unknown', hadAlpha };
  } catch (error) {
    throw new StudioError('DECODE_FAILED', `${name} could not be read: the file is damaged or incomplete.`, String(error));
  }
}

async function readSource(path: string, name: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new StudioError('INVALID_INPUT', `${name} is a folder, not an image.`);
    if (info.size === 0) throw new StudioError('FILE_EMPTY', `${name} is empty (0 bytes).`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof StudioError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `${name} was not found.`, String(error));
    if (code === 'EACCES' || code === 'EPERM') throw new StudioError('DECODE_FAILED', `${name} cannot be opened: permission denied.`, String(error));
    throw new StudioError('DECODE_FAILED', `${name} could not be read.`, String(error));
  }
}

async function readMetadata(bytes: Buffer, name: string): Promise<SharpMetadata> {
  try {
    // Header only: this is where a decompression bomb is caught, before any pixel is decoded.
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new StudioError('UNSUPPORTED_FORMAT', `${name} is not an image Matte Studio can read.`, String(error));
  }
}
