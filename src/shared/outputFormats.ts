/**
 * The one table of output formats: every export path (CLI `cutout`, `video`, `batch`, the studio's Export and the
 * Batch Export dialog) names, lays out and encodes its outputs from here, so they cannot drift apart. The studio and
 * saved projects still say `matte-png` (a still's matte) and `png` (a clip's PNG sequence); {@link canonicalFormat}
 * maps those older words onto this table.
 */

/** Every output format, in the order outputs are written and names are given out. */
export const outputFormatIds = ['png', 'png-premultiplied', 'webp', 'matte', 'prores', 'prores-fast', 'webm', 'webm-fast', 'mp4', 'png-sequence'] as const;
/** One of {@link outputFormatIds}. */
export type OutputFormatId = (typeof outputFormatIds)[number];

/** Stills and clips. */
export type OutputItemKind = 'image' | 'clip';

/**
 * How a format's pixels are laid out before encoding: straight RGBA, premultiplied RGBA, the grey matte, or RGB over
 * the chosen background colour or picture.
 */
export type PixelLayout = 'straight' | 'premultiplied' | 'gray' | 'composite';

/** The encoder of a still format and its options. */
export type StillEncoder =
  | { codec: 'png'; compressionLevel: number }
  /** Lossless WebP: `effort` is libwebp's method (0–6); `quality` (1–100) is, in lossless mode, how hard it searches. */
  | { codec: 'webp'; effort: number; quality: number };

/** One row of the table for one kind of item. */
export interface OutputFormatSpec {
  /** What menus and checkboxes call it. */
  label: string;
  /** With the dot; `''` for a folder (PNG sequence). */
  extension: string;
  layout: PixelLayout;
  /** Whether the written file must show an alpha channel when read back (verified after writing). */
  hasAlpha: boolean;
  /** Added to the name (`<name>_<variant>`) when the template has no `{format}`, so it never looks like the cut-out. */
  alwaysVariant?: string;
  /** Added (`<name>_<variant>`) when another requested format of the item has the same extension. */
  twinVariant: string;
  /** Stills: the encoder. Clips are encoded by ffmpeg per `encodeVideo.ts` (ProRes, VP9, H.264) or as PNG frames. */
  stillEncoder?: StillEncoder;
}

// PNG level 3 without adaptive filtering: on a 1080p cut-out 79 ms and 3.44 MB against 106 ms and 3.35 MB at level 6.
const png: StillEncoder = { codec: 'png', compressionLevel: 3 };
// WebP effort 0: a 1920×1080 cut-out encodes in 0.48 s instead of 2.1 s (effort 4) for a 20% larger file. Quality 25
// (lossless: search effort, the pixels are the same): 129 ms instead of 343 ms at sharp's default 80 on that cut-out,
// for a 0.7% larger file (1.197 vs 1.189 MB); below 25 neither time nor size moved on the seven portraits' cut-outs.
const webp: StillEncoder = { codec: 'webp', effort: 0, quality: 25 };

/** Still formats. */
export const stillOutputFormats: Partial<Record<OutputFormatId, OutputFormatSpec>> = {
  png: { label: 'PNG, straight alpha', extension: '.png', layout: 'straight', hasAlpha: true, twinVariant: 'png', stillEncoder: png },
  // Always named apart: a premultiplied PNG called like the straight one is mistaken for it (and got `-2` beside it).
  'png-premultiplied': { label: 'PNG, premultiplied alpha', extension: '.png', layout: 'premultiplied', hasAlpha: true, alwaysVariant: 'premultiplied', twinVariant: 'premultiplied', stillEncoder: png },
  webp: { label: 'WebP, lossless with alpha', extension: '.webp', layout: 'straight', hasAlpha: true, twinVariant: 'webp', stillEncoder: webp },
  matte: { label: 'Matte only (grey)', extension: '.png', layout: 'gray', hasAlpha: false, alwaysVariant: 'matte', twinVariant: 'matte', stillEncoder: png },
};

/** Clip formats; see `encodeVideo.ts` for the codecs and pixel formats. */
export const clipOutputFormats: Partial<Record<OutputFormatId, OutputFormatSpec>> = {
  prores: { label: 'ProRes 4444 with alpha', extension: '.mov', layout: 'straight', hasAlpha: true, twinVariant: 'prores' },
  'prores-fast': { label: 'ProRes 4444 with alpha, fast', extension: '.mov', layout: 'straight', hasAlpha: true, twinVariant: 'prores-fast' },
  webm: { label: 'VP9 WebM with alpha', extension: '.webm', layout: 'straight', hasAlpha: true, twinVariant: 'webm' },
  'webm-fast': { label: 'VP9 WebM with alpha, fast', extension: '.webm', layout: 'straight', hasAlpha: true, twinVariant: 'webm-fast' },
  mp4: { label: 'MP4 composite on the background', extension: '.mp4', layout: 'composite', hasAlpha: false, twinVariant: 'mp4' },
  matte: { label: 'Matte clip (grey MP4)', extension: '.mp4', layout: 'gray', hasAlpha: false, alwaysVariant: 'matte', twinVariant: 'matte' },
  'png-sequence': { label: 'PNG sequence', extension: '', layout: 'straight', hasAlpha: true, twinVariant: 'png' },
};

/** Still format ids, in table order. */
export const stillFormatIds = outputFormatIds.filter((id) => stillOutputFormats[id] !== undefined);
/** Clip format ids, in table order. */
export const clipFormatIds = outputFormatIds.filter((id) => clipOutputFormats[id] !== undefined);

/** The row of `format` for a kind of item, or undefined when the format does not apply to it. */
export function formatSpec(format: OutputFormatId, kind: OutputItemKind): OutputFormatSpec | undefined {
  return (kind === 'image' ? stillOutputFormats : clipOutputFormats)[format];
}

/** Older names still accepted: the studio's `matte-png` (a still's matte) and `png` for a clip (its PNG sequence). */
export function canonicalFormat(format: string, kind: OutputItemKind): OutputFormatId | undefined {
  const mapped = format === 'matte-png' ? 'matte' : kind === 'clip' && format === 'png' ? 'png-sequence' : format;
  return (outputFormatIds as readonly string[]).includes(mapped) && formatSpec(mapped as OutputFormatId, kind) ? (mapped as OutputFormatId) : undefined;
}

/**
 * The file (or folder) name of one output: the filled template, a variant when the format needs one to stay apart
 * from the item's other outputs, a `-n` counter when the name was taken, then the extension.
 * @param siblings Every format requested for the item (the twin rule looks at them).
 */
export function outputFileName(stem: string, format: OutputFormatId, kind: OutputItemKind, siblings: readonly OutputFormatId[], options: { templateHasFormat: boolean; counter: number }): string {
  const spec = formatSpec(format, kind);
  if (!spec) throw new RangeError(`Expected a ${kind} format for format but received ${format}`);
  let variant = '';
  if (!options.templateHasFormat) {
    const hasTwin = siblings.some((other) => other !== format && outputFormatIds.indexOf(other) < outputFormatIds.indexOf(format) && formatSpec(other, kind)?.extension === spec.extension);
    variant = spec.alwaysVariant ? `_${spec.alwaysVariant}` : hasTwin ? `_${spec.twinVariant}` : '';
  }
  return `${stem}${variant}${options.counter > 1 ? `-${options.counter}` : ''}${spec.extension}`;
}
