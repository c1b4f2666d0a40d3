/**
 * One refinement job: a picture and its low-resolution matte in, 8-bit layers out. Plain data both ways, so the same
 * function runs in the refinement worker (see `refinePool.ts`) and, where no worker can start, in-process.
 */
import type { AlphaMatte, FloatImage, Image8 } from '../../core/imageTypes';
import type { MaskEdit } from '../../core/matting/maskEdit';
import { composeRgba } from '../../core/matting/premultiply';
import { cancelledError } from '../../shared/errors';
import type { RefinementSettings } from '../../shared/settings';
import { refineCutout } from '../pipeline/refineCutout';

/** What a job produces: a preview (RGBA + spill heat), an RGBA cut-out (straight or premultiplied), or a grey matte. */
export type RefineOutput = 'preview' | 'straight' | 'premultiplied' | 'matte';

/** The input of {@link runRefineJob}. */
export interface RefineJob {
  /** Upright 8-bit RGB picture at the size to produce. */
  image: Image8;
  /** The model's low-resolution matte (any size; guided upsampling brings it to the picture's size). */
  matte: AlphaMatte;
  settings: RefinementSettings;
  output: RefineOutput;
  /** The artist's hand edit at the picture's size, applied on top (exports; previews leave it to the renderer). */
  maskEdit?: MaskEdit;
  /** A cartoon detection already made for this picture (previews detect once per picture, not per slider tick). */
  isCartoonDetected?: boolean;
}

/** The output of {@link runRefineJob}. */
export interface RefineResult {
  width: number;
  height: number;
  /** 4 (RGBA) or 1 (grey matte). */
  channels: 1 | 4;
  /** `width × height × channels` bytes. */
  pixels: Uint8Array;
  /** Previews only: `width × height` bytes of spill heat (0 where nothing was removed). */
  heatmap?: Uint8Array;
  isCartoon: boolean;
}

/**
 * Refines the matte and packs the result. `isCancelled` is polled between stages (a kernel itself cannot stop), so a
 * superseded preview frees its thread soon after its caller has moved on.
 */
export async function runRefineJob(job: RefineJob, isCancelled: () => boolean): Promise<RefineResult> {
  const checkpoint = () => {
    if (isCancelled()) throw cancelledError('Refining the matte');
  };
  checkpoint();
  const refined = await refineCutout(job.image, job.matte, job.settings, {}, {
    withSpillHeatmap: job.output === 'preview',
    maskEdit: job.maskEdit,
    isCartoonDetected: job.isCartoonDetected,
    // Called between guided upsampling and the costly colour estimation: used as a cancel checkpoint, not to change α.
    stabilize: (alpha) => {
      checkpoint();
      return alpha;
    },
  });
  checkpoint();
  const { width, height } = job.image;
  if (job.output === 'matte') return { width, height, channels: 1, pixels: toBytes(refined.alpha), isCartoon: refined.isCartoon };
  const rgba = composeRgba(refined.foreground, refined.alpha, { premultiplied: job.output === 'premultiplied' });
  const heatmap = job.output === 'preview' ? (refined.spillHeatmap ? toBytes(refined.spillHeatmap) : new Uint8Array(width * height)) : undefined;
  return { width, height, channels: 4, pixels: rgba.data, heatmap, isCartoon: refined.isCartoon };
}

/** A one-channel float image in [0, 1] as bytes 0–255 (rounded, clamped). */
export function toBytes(plane: FloatImage): Uint8Array {
  const bytes = new Uint8Array(plane.width * plane.height);
  const data = plane.data;
  for (let index = 0; index < bytes.length; index++) {
    const value = data[index]! * 255 + 0.5;
    bytes[index] = value <= 0 ? 0 : value >= 255 ? 255 : value;
  }
  return bytes;
}
