/**
 * Refinement of very large stills in horizontal strips, so memory follows the strip, not the picture: refining a
 * 24 MP still whole holds about 1.3 GB of float planes (the picture as floats, blur fusion's foreground, background
 * and stage buffers, the band solver's index), which with the model's session took the process to 2.7 GB. Each strip
 * is refined with enough rows of overlap that its kept rows see every neighbour the kernels read (blur fusion's
 * windows, decontamination, the edge band, feather/smooth/shift), and the kept rows are composed straight into the
 * 8-bit output layers. Decisions that need the whole picture are made once beforehand: guided upsampling and the
 * cartoon/outline verdict.
 */
import { guidedUpsample } from '../../core/filters/guidedUpsample';
import { toImage8, type AlphaMatte, type FloatImage, type Image8, type ImageBuffer } from '../../core/imageTypes';
import { compositeOver } from '../../core/matting/compositeOver';
import { refineEdgeMaskOf, type MaskEdit } from '../../core/matting/maskEdit';
import { composeRgba } from '../../core/matting/premultiply';
import type { PixelLayout } from '../../shared/outputFormats';
import type { RefinementSettings } from '../../shared/settings';
import { isOutlineProtected, refineUpsampled } from './refineCutout';

/** Pictures above this many pixels are refined in strips; smaller ones whole (the result is the same either way). */
export const stripThresholdPixels = 8_000_000;

/** Picture pixels per strip, overlap excluded: about 150 MB of working planes each. */
const defaultStripPixels = 2_000_000;

/** One strip: rows `[top, bottom)` are kept, rows `[readTop, readBottom)` are refined. */
export interface StripSpan {
  top: number;
  bottom: number;
  readTop: number;
  readBottom: number;
}

/** What a strip-wise refinement needs: the fields of a refine job it reads. */
export interface StripRefineInput {
  image: Image8;
  matte: AlphaMatte;
  settings: RefinementSettings;
  layouts: PixelLayout[];
  maskEdit?: MaskEdit;
  refineEdgeMask?: ImageBuffer<Uint8Array>;
  isCartoonDetected?: boolean;
  cartoonScore?: number;
  background?: Image8;
}

/**
 * Rows of overlap a strip needs so its kept rows match a whole-picture refinement: the sum of how far each stage reads
 * (they run one after another, so their reaches add up).
 */
export function stripOverlapRows(settings: RefinementSettings): number {
  const blurFusion = Math.ceil(settings.radiusPx / 2) + 4; // the wide box, then the 6 px box
  const decontaminate = settings.decontaminate ? 9 : 0; // its 8 px window
  const edgeBand = 2 * Math.ceil(settings.edgeRadiusPx) + 4; // Smart Radius may widen the band; the solver's 3×3 windows
  const artist = Math.ceil(3 * settings.featherPx) + 2 * Math.ceil(settings.smoothPx) + Math.ceil(Math.abs(settings.shiftEdgePx));
  return blurFusion + decontaminate + edgeBand + artist + 16; // outline protection's line width, and slack
}

/** Splits `height` rows into strips of about `pixelsPerStrip` pixels, each read with `overlap` extra rows per side. */
export function planStrips(width: number, height: number, overlap: number, pixelsPerStrip = defaultStripPixels): StripSpan[] {
  const rowsPerStrip = Math.max(64, Math.floor(pixelsPerStrip / width));
  const spans: StripSpan[] = [];
  for (let top = 0; top < height; top += rowsPerStrip) {
    const bottom = Math.min(height, top + rowsPerStrip);
    spans.push(stripSpan(top, bottom, height, overlap));
  }
  return spans;
}

/** The strip that keeps rows `[top, bottom)`, read with `overlap` extra rows per side within the picture's `height`. */
export function stripSpan(top: number, bottom: number, height: number, overlap: number): StripSpan {
  return { top, bottom, readTop: Math.max(0, top - overlap), readBottom: Math.min(height, bottom + overlap) };
}

/**
 * Refines a still strip by strip and composes every requested layout. `checkpoint` is called between strips (it
 * throws to cancel).
 */
export async function refineLayersInStrips(
  input: StripRefineInput,
  checkpoint: () => void,
  pixelsPerStrip = defaultStripPixels,
): Promise<{ layers: Partial<Record<PixelLayout, Image8>>; isCartoon: boolean }> {
  const { image, settings } = input;
  const { width, height } = image;
  const alpha = guidedUpsample(input.matte, image);
  checkpoint();
  const isCartoon = isOutlineProtected(image, alpha, settings, input);
  const stripSettings: RefinementSettings = { ...settings, cartoonMode: isCartoon ? 'on' : 'off' };
  const refineEdgeMask = input.refineEdgeMask ?? (input.maskEdit && refineEdgeMaskOf(input.maskEdit));
  const layers = allocateLayers(input.layouts, width, height);
  if (layers.composite && !input.background) throw new TypeError('Expected a background picture for background but received none');
  for (const span of planStrips(width, height, stripOverlapRows(settings), pixelsPerStrip)) {
    checkpoint();
    const readRows = span.readTop * width;
    const readEnd = span.readBottom * width;
    const rows = span.readBottom - span.readTop;
    const stripImage: Image8 = { width, height: rows, channels: 3, data: image.data.subarray(readRows * 3, readEnd * 3) };
    const stripAlpha: AlphaMatte = { width, height: rows, channels: 1, data: alpha.data.slice(readRows, readEnd) };
    const refined = await refineUpsampled(stripImage, stripAlpha, stripSettings, {}, {
      maskEdit: input.maskEdit && maskEditRows(input.maskEdit, readRows, readEnd, rows),
      refineEdgeMask: refineEdgeMask && { width, height: rows, channels: 1, data: refineEdgeMask.data.subarray(readRows, readEnd) },
    });
    composeKeptRows(layers, refined.foreground, refined.alpha, span, input.background);
  }
  return { layers, isCartoon };
}

export function allocateLayers(layouts: PixelLayout[], width: number, height: number): Partial<Record<PixelLayout, Image8>> {
  const layers: Partial<Record<PixelLayout, Image8>> = {};
  for (const layout of new Set(layouts)) {
    const channels = layout === 'gray' ? 1 : 4;
    layers[layout] = { width, height, channels, data: new Uint8Array(width * height * channels) };
  }
  return layers;
}

export function maskEditRows(edit: MaskEdit, start: number, end: number, rows: number): MaskEdit {
  return { width: edit.width, height: rows, add: edit.add.subarray(start, end), remove: edit.remove.subarray(start, end), refineEdge: edit.refineEdge.subarray(start, end) };
}

/** Composes the kept rows of a refined strip into the layers, in place. */
function composeKeptRows(layers: Partial<Record<PixelLayout, Image8>>, foreground: FloatImage, alpha: AlphaMatte, span: StripSpan, background: Image8 | undefined): void {
  const { width } = foreground;
  const skip = (span.top - span.readTop) * width;
  const kept = (span.bottom - span.top) * width;
  const height = span.bottom - span.top;
  const keptForeground: FloatImage = { width, height, channels: 3, data: foreground.data.subarray(skip * 3, (skip + kept) * 3) };
  const keptAlpha: AlphaMatte = { width, height, channels: 1, data: alpha.data.subarray(skip, skip + kept) };
  const first = span.top * width;
  const rowsOf = (layer: Image8): Image8 => ({ width, height, channels: layer.channels, data: layer.data.subarray(first * layer.channels, (first + kept) * layer.channels) });
  for (const [layout, layer] of Object.entries(layers) as Array<[PixelLayout, Image8]>) {
    if (layout === 'gray') {
      toImage8(keptAlpha, rowsOf(layer));
    } else if (layout === 'composite') {
      compositeOver(keptForeground, keptAlpha, rowsOf(background!), rowsOf(layer));
    } else {
      composeRgba(keptForeground, keptAlpha, { premultiplied: layout === 'premultiplied' }, rowsOf(layer));
    }
  }
}
