import { assertDimensions, assertImage, expectation, type AlphaMatte } from '../imageTypes';

/**
 * A hand edit of a matte: two 8-bit planes the size of the picture. `add` raises alpha, `remove` lowers it;
 * the edited alpha is `clamp(α + add/255 − remove/255, 0, 1)`. An add stroke also erases earlier removal under it
 * (and the other way round), so the last stroke over a pixel wins, as artists expect.
 */
export interface MaskEdit {
  readonly width: number;
  readonly height: number;
  readonly add: Uint8Array;
  readonly remove: Uint8Array;
}

/** An empty edit (changes nothing). */
export function createMaskEdit(width: number, height: number): MaskEdit {
  assertDimensions(width, height, 'createMaskEdit');
  return { width, height, add: new Uint8Array(width * height), remove: new Uint8Array(width * height) };
}

/** True when the edit changes no pixel. */
export function isMaskEditEmpty(edit: MaskEdit): boolean {
  for (let index = 0; index < edit.add.length; index++) if (edit.add[index] !== 0 || edit.remove[index] !== 0) return false;
  return true;
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
