import { assertDimensions, assertImage, expectation, type AlphaMatte, type ImageBuffer } from '../imageTypes';

/**
 * A hand edit of a matte: three 8-bit planes the size of the picture. `add` raises alpha, `remove` lowers it;
 * the edited alpha is `clamp(α + add/255 − remove/255, 0, 1)`. An add stroke also erases earlier removal under it
 * (and the other way round), so the last stroke over a pixel wins, as artists expect. `refineEdge` holds the Refine
 * Edge brush's marks: where it reaches {@link refineEdgeMarkThreshold}, alpha is re-solved from the picture (the edge
 * band widened by hand, see {@link refineEdgeMaskOf}) before `add` and `remove` apply.
 */
export interface MaskEdit {
  readonly width: number;
  readonly height: number;
  readonly add: Uint8Array;
  readonly remove: Uint8Array;
  readonly refineEdge: Uint8Array;
}

/**
 * A Refine Edge mark counts from half strength: the faint rim of a soft dab, or what a soft Alt-erase leaves behind,
 * does not silently widen the band (the studio's overlay shows exactly the pixels that count).
 */
export const refineEdgeMarkThreshold = 128;

/** An empty edit (changes nothing). */
export function createMaskEdit(width: number, height: number): MaskEdit {
  assertDimensions(width, height, 'createMaskEdit');
  const pixels = width * height;
  return { width, height, add: new Uint8Array(pixels), remove: new Uint8Array(pixels), refineEdge: new Uint8Array(pixels) };
}

/** True when the edit changes no pixel and marks none for edge refinement. */
export function isMaskEditEmpty(edit: MaskEdit): boolean {
  for (let index = 0; index < edit.add.length; index++) {
    if (edit.add[index] !== 0 || edit.remove[index] !== 0 || edit.refineEdge[index] !== 0) return false;
  }
  return true;
}

/**
 * The Refine Edge marks as the edge-band solver takes them (`RefineCutoutOptions.refineEdgeMask`): 1 where the mark
 * reaches {@link refineEdgeMarkThreshold}, else 0; undefined when no pixel does, so unmarked work refines exactly as
 * before.
 */
export function refineEdgeMaskOf(edit: MaskEdit): ImageBuffer<Uint8Array> | undefined {
  const marks = edit.refineEdge;
  let first = -1;
  for (let index = 0; index < marks.length; index++) {
    if (marks[index]! >= refineEdgeMarkThreshold) {
      first = index;
      break;
    }
  }
  if (first < 0) return undefined;
  const data = new Uint8Array(marks.length);
  for (let index = first; index < marks.length; index++) data[index] = marks[index]! >= refineEdgeMarkThreshold ? 1 : 0;
  return { width: edit.width, height: edit.height, channels: 1, data };
}

/**
 * Applies a hand edit on top of a matte.
 * @param alpha The engine's matte.
 * @param edit The artist's edit, same size.
 * @param out Destination; may be `alpha`.
 */
export function applyMaskEdit(alpha: AlphaMatte, edit: MaskEdit, out?: AlphaMatte): AlphaMatte {
  assertImage(alpha, 'alpha', { channels: 1 });
  if (edit.width !== alpha.width || edit.height !== alpha.height) {
    throw new RangeError(expectation(`a ${alpha.width}×${alpha.height} edit`, 'edit', `${edit.width}×${edit.height}`));
  }
  const result = out ?? { width: alpha.width, height: alpha.height, channels: 1, data: new Float32Array(alpha.data.length) };
  for (let index = 0; index < alpha.data.length; index++) {
    const value = alpha.data[index]! + (edit.add[index]! - edit.remove[index]!) / 255;
    result.data[index] = value < 0 ? 0 : value > 1 ? 1 : value;
  }
  return result;
}
