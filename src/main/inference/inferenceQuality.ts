/**
 * How hard inference works. `full` runs the model at its native input size (1024² for IS-Net). `draft` runs it at
 * {@link draftInputSide}² where the graph's input size is symbolic (the derived `isnet-fp32` is), for clip review and
 * quick previews: several times faster, with softer edges (`npm run bench -- inference` has the figures). A model
 * with a static input size runs at its native size whatever the quality.
 */
export type InferenceQuality = 'full' | 'draft';

/**
 * Side of the square input used by the `draft` quality, in pixels: a multiple of 64, as the derived IS-Net needs (five
 * 2×2 poolings after a stride-2 stem, undone by constant 2× Resizes; see `scripts/onnxSymbolicSize.mjs`).
 */
export const draftInputSide = 512;

/** A model input size in pixels. */
export interface InputSize {
  width: number;
  height: number;
}

/**
 * The input size to run at: the native size for `full` or for a graph with a static size; for `draft`, the native
 * size scaled so its longer side is {@link draftInputSide} (never upscaled), rounded to a multiple of 32.
 */
export function inputSizeFor(native: InputSize, isSizeSymbolic: boolean, quality: InferenceQuality): InputSize {
  if (quality === 'full' || !isSizeSymbolic) return { width: native.width, height: native.height };
  const scale = Math.min(1, draftInputSide / Math.max(native.width, native.height));
  const roundTo32 = (value: number) => Math.max(32, Math.round((value * scale) / 32) * 32);
  return { width: roundTo32(native.width), height: roundTo32(native.height) };
}
