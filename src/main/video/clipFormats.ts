import { extensionFor, type VideoFormat } from '../media/encodeVideo';

/** Every way a clip can be exported. `png` is a PNG sequence folder; the rest are single files. */
export const clipFormats = ['prores', 'prores-fast', 'webm', 'webm-fast', 'png', 'matte', 'mp4'] as const;
/** One of {@link clipFormats}. */
export type ClipFormat = (typeof clipFormats)[number];

/** Whether the format carries an alpha channel that must be verified after writing. */
export function hasAlpha(format: ClipFormat): boolean {
  return format === 'prores' || format === 'prores-fast' || format === 'webm' || format === 'webm-fast' || format === 'png';
}

/** The output path for a clip named `stem` in `outDir` (`png` → a folder `<stem>_png`). */
export function clipOutputName(stem: string, format: ClipFormat): string {
  if (format === 'png') return `${stem}_png`;
  if (format === 'matte') return `${stem}_matte.mp4`;
  return `${stem}${extensionFor(format as VideoFormat)}`;
}
