import { clipFormatIds, formatSpec, outputFileName, type OutputFormatId } from '../../../shared/outputFormats';

/** Every way a clip can be exported (the clip rows of `shared/outputFormats.ts`). `png-sequence` is a folder. */
export const clipFormats = clipFormatIds;
/** One of {@link clipFormats}. */
export type ClipFormat = OutputFormatId;

/** Whether the format carries an alpha channel that must be verified after writing. */
export function hasAlpha(format: ClipFormat): boolean {
  return formatSpec(format, 'clip')?.hasAlpha ?? false;
}

/** The output name of a clip exported alone in one format (the batch names several formats of one item together). */
export function clipOutputName(stem: string, format: ClipFormat): string {
  return outputFileName(stem, format, 'clip', [format], { templateHasFormat: false, counter: 1 });
}
