/**
 * Composes the canvas's mask layer at preview resolution: the engine's cut-out colour and alpha, the artist's hand
 * edits (full size, sampled through index maps), the view mode's background, and while the Refine Edge brush is in
 * hand a translucent tint over its marks. Pure and allocation-free per pixel, so a dab can repaint a few tiles at
 * pointer rate.
 */
import { refineEdgeMarkThreshold, type MaskEdit } from '../../../core/matting/maskEdit';
import type { DirtyRect } from '../../../core/matting/paintBrushDab';
import type { ViewMode } from '../document/documentStore';

/** An sRGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** Everything composition reads, at preview size unless noted. */
export interface CompositeSource {
  readonly width: number;
  readonly height: number;
  /** `width × height × 4`: straight colour with the engine's alpha. */
  readonly cutout: Uint8Array;
  /** `width × height`: spill heat 0–255. */
  readonly heatmap: Uint8Array;
  /** Hand edits at full picture size, if the frame has any. */
  readonly edit: MaskEdit | undefined;
  /** Full-size column sampled by each preview column (`sampleIndexMap`). */
  readonly editColumns: Int32Array;
  /** Full-size row sampled by each preview row. */
  readonly editRows: Int32Array;
  /** `width × height × 4` background picture for the `image` mode; checkerboard when absent. */
  readonly background?: Uint8Array | Uint8ClampedArray;
}

/** How to show the cut-out. */
export interface CompositeStyle {
  readonly mode: ViewMode;
  readonly overlayRgb: Rgb;
  /** 0–1. */
  readonly overlayOpacity: number;
  readonly backgroundRgb: Rgb;
  /** Tints removed spill on top of the mode. */
  readonly showHeatmap: boolean;
  /** Tints the Refine Edge marks on top of everything (while that brush is in hand). */
  readonly showRefineEdge: boolean;
}

/** Checkerboard square in preview pixels and its two greys. */
const checkerSizePx = 8;
const checkerLight = 255;
const checkerDark = 204;
/** Heat-map tint (magenta: distinct from the red overlay and from green screens) and its strongest opacity. */
const heatRgb: Rgb = [255, 0, 200];
const heatOpacity = 0.85;
/**
 * Refine Edge marks: cyan (apart from the red overlay and the magenta heat) at half opacity, so hair stays visible
 * under it. Only marks the engine uses (at least {@link refineEdgeMarkThreshold}) are tinted: what you see is the band.
 */
const refineEdgeRgb: Rgb = [0, 200, 255];
const refineEdgeOpacity = 0.5;

/** Parses `#rgb` or `#rrggbb`; anything else gives `fallback`. */
export function parseHexColor(text: string, fallback: Rgb = [0, 0, 0]): Rgb {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!match) return fallback;
  const hex = match[1]!.length === 3 ? [...match[1]!].map((digit) => digit + digit).join('') : match[1]!;
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

/** The composed alpha 0–255 at preview pixel (`x`, `y`): engine alpha plus the hand edit there, clamped. */
export function composedAlpha(source: CompositeSource, x: number, y: number): number {
  const alpha = source.cutout[(y * source.width + x) * 4 + 3]!;
  const edit = source.edit;
  if (!edit) return alpha;
  const index = source.editRows[y]! * edit.width + source.editColumns[x]!;
  const value = alpha + edit.add[index]! - edit.remove[index]!;
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

const mix = (foreground: number, background: number, alpha: number) => (foreground * alpha + background * (255 - alpha) + 127) / 255;

/** Writes the composite of `rect` (preview pixels) into `out` (`width × height × 4`, e.g. an ImageData's data). */
export function composeRegion(source: CompositeSource, style: CompositeStyle, out: Uint8ClampedArray, rect: DirtyRect): void {
  const { width, cutout, heatmap, background } = source;
  const { mode } = style;
  const x0 = Math.max(0, rect.x0);
  const y0 = Math.max(0, rect.y0);
  const x1 = Math.min(width, rect.x1);
  const y1 = Math.min(source.height, rect.y1);
  const [overlayRed, overlayGreen, overlayBlue] = style.overlayRgb;
  const overlayStrength = Math.min(1, Math.max(0, style.overlayOpacity));
  const solid = mode === 'black' ? [0, 0, 0] : mode === 'white' ? [255, 255, 255] : style.backgroundRgb;
  const marks = style.showRefineEdge ? source.edit?.refineEdge : undefined;
  const editWidth = source.edit?.width ?? 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const pixel = y * width + x;
      const offset = pixel * 4;
      const alpha = composedAlpha(source, x, y);
      let red: number;
      let green: number;
      let blue: number;
      let opacity = 255;
      if (mode === 'overlay') {
        // The full-size picture lies underneath: only the tint over the background is drawn here.
        red = overlayRed;
        green = overlayGreen;
        blue = overlayBlue;
        opacity = overlayStrength * (255 - alpha);
      } else if (mode === 'original') {
        // The picture alone: the stage's media layer shows it, and nothing of the cut-out goes over it.
        red = green = blue = 0;
        opacity = 0;
      } else if (mode === 'matte') {
        red = green = blue = alpha;
      } else {
        let backRed: number;
        let backGreen: number;
        let backBlue: number;
        if (mode === 'image' && background) {
          backRed = background[offset]!;
          backGreen = background[offset + 1]!;
          backBlue = background[offset + 2]!;
        } else if (mode === 'black' || mode === 'white' || mode === 'color') {
          backRed = solid[0]!;
          backGreen = solid[1]!;
          backBlue = solid[2]!;
        } else {
          backRed = backGreen = backBlue = ((Math.floor(x / checkerSizePx) + Math.floor(y / checkerSizePx)) & 1) === 0 ? checkerLight : checkerDark;
        }
        red = mix(cutout[offset]!, backRed, alpha);
        green = mix(cutout[offset + 1]!, backGreen, alpha);
        blue = mix(cutout[offset + 2]!, backBlue, alpha);
      }
      if (style.showHeatmap) {
        const heat = (heatmap[pixel]! / 255) * heatOpacity;
        red += (heatRgb[0] - red) * heat;
        green += (heatRgb[1] - green) * heat;
        blue += (heatRgb[2] - blue) * heat;
        opacity = Math.max(opacity, heat * 255);
      }
      if (marks && marks[source.editRows[y]! * editWidth + source.editColumns[x]!]! >= refineEdgeMarkThreshold) {
        // The tint goes over what is drawn (Porter-Duff over), so it reads as cyan even where the layer is clear.
        const below = (opacity / 255) * (1 - refineEdgeOpacity);
        const total = refineEdgeOpacity + below;
        red = (refineEdgeRgb[0] * refineEdgeOpacity + red * below) / total;
        green = (refineEdgeRgb[1] * refineEdgeOpacity + green * below) / total;
        blue = (refineEdgeRgb[2] * refineEdgeOpacity + blue * below) / total;
        opacity = total * 255;
      }
      out[offset] = red;
      out[offset + 1] = green;
      out[offset + 2] = blue;
      out[offset + 3] = opacity;
    }
  }
}
