/**
 * One refinement job: a picture and its low-resolution matte in, 8-bit layers out. Plain data both ways, so the same
 * function runs in the engine's kernel worker (see `refinePool.ts`) and, where no worker can start, in-process. Every
 * heavy JS kernel of an export runs here, off the host's event loop: guided upsampling, cartoon detection, temporal
 * stabilisation, refinement, colour estimation, spill, composing every pixel layout the formats need, and a clip
 * frame's flicker and abrupt-change figures.
 */
import { openWorkingScope, type BorrowArray } from '../../core/workingArrays';
import { toGray } from '../../core/filters/toGray';
import { toImage8, type AlphaMatte, type FloatImage, type Image8, type ImageBuffer } from '../../core/imageTypes';
import { assessMatte } from '../../core/matting/assessMatte';
import { compositeOver } from '../../core/matting/compositeOver';
import type { MatteSummary } from '../../core/matting/detectAbruptChange';
import { refineEdgeMaskOf, type MaskEdit } from '../../core/matting/maskEdit';
import { composeRgba } from '../../core/matting/premultiply';
import { stabilizeMatte } from '../../core/matting/stabilizeMatte';
import { measureFlicker } from '../../core/metrics/flicker';
import { cancelledError } from '../../shared/errors';
import type { PixelLayout } from '../../shared/outputFormats';
import type { RefinementSettings } from '../../shared/settings';
import { refineCutout, refineUpsampled, type RefinedCutout } from '../pipeline/refineCutout';
import { refineLayersInStrips, stripThresholdPixels } from '../pipeline/refineInStrips';
import { BandMemo } from '../pipeline/bandMemo';

/** This thread's memo of recent pictures' edge bands (one per kernel worker; in-process jobs share the host's). */
const bandMemo = new BandMemo();

/** What a job produces: a preview (RGBA + spill heat), an RGBA cut-out (straight or premultiplied), or a grey matte. */
export type RefineOutput = 'preview' | 'straight' | 'premultiplied' | 'matte';

/** A clip frame's state that the next frame's job needs (passed back in, transferred both ways). */
export interface ClipFrameState {
  /** Stabilised alpha before the artist's refinements. */
  stableAlpha: AlphaMatte;
  image: Image8;
  /** Final alpha and the frame's grey levels, for flicker. */
  finalAlpha: AlphaMatte;
  gray: FloatImage;
  summary: MatteSummary;
}

/** The input of {@link runRefineJob}. */
export interface RefineJob {
  /** Upright 8-bit RGB picture at the size to produce. */
  image: Image8;
  /** The model's low-resolution matte (any size; guided upsampling brings it to the picture's size). */
  matte: AlphaMatte;
  /**
   * The matte is already upsampled to the picture (a strip of a still refined across workers): guided upsampling is
   * skipped and the matte is refined as it is.
   */
  matteIsUpsampled?: boolean;
  settings: RefinementSettings;
  output: RefineOutput;
  /**
   * The artist's hand edit at the picture's size (exports; previews leave it to the renderer): its Refine Edge marks
   * widen the edge band, its add/remove planes apply on top of the refined matte.
   */
  maskEdit?: MaskEdit;
  /**
   * Refine Edge marks at the picture's size (1-channel, non-zero = marked), for previews, which send no `maskEdit`;
   * when absent, the marks of `maskEdit` are used.
   */
  refineEdgeMask?: ImageBuffer<Uint8Array>;
  /** A cartoon detection already made for this picture (previews detect once per picture, not per slider tick). */
  isCartoonDetected?: boolean;
  /** The detection's score, so auto mode's ink-outline check need not detect again. */
  cartoonScore?: number;
  /** Exports: every pixel layout the requested formats need, made from one refinement (`output` is then ignored). */
  layouts?: PixelLayout[];
  /** The `composite` layout's background, an RGB picture the size of `image`. */
  background?: Image8;
  /** Clips: stabilise against the previous frame and measure flicker; `previous` is absent for the first frame. */
  clip?: { stabilize: boolean; previous?: ClipFrameState };
  /**
   * The job's planes are copies made for it alone (a strip of a still): moved to the worker, not copied again. Each
   * megabyte a worker receives as a copy is fresh memory, page-faulted at about 3 ms per MB on the 2-core VM.
   */
  ownsPlanes?: boolean;
}

/** The output of {@link runRefineJob}. */
export interface RefineResult {
  width: number;
  height: number;
  /** 4 (RGBA) or 1 (grey matte). */
  channels: 1 | 4;
  /** `width × height × channels` bytes (empty when `layouts` was asked for). */
  pixels: Uint8Array;
  /** Previews only: `width × height` bytes of spill heat (0 where nothing was removed). */
  heatmap?: Uint8Array;
  isCartoon: boolean;
  /** The layouts asked for. */
  layers?: Partial<Record<PixelLayout, Image8>>;
  /** Clips: this frame's state for the next job, its flicker against the previous frame, and whether it jumped. */
  clip?: { state: ClipFrameState; flicker?: number };
}

/**
 * Refines the matte and packs the result. `isCancelled` is polled between stages (a kernel itself cannot stop), so a
 * superseded preview frees its thread soon after its caller has moved on.
 */
export async function runRefineJob(job: RefineJob, isCancelled: () => boolean, isOnlyJobOnThread = false): Promise<RefineResult> {
  const checkpoint = () => {
    if (isCancelled()) throw cancelledError('Refining the matte');
  };
  checkpoint();
  if (job.layouts && !job.clip && !job.matteIsUpsampled && job.image.width * job.image.height > stripThresholdPixels) {
    // A very large still: strip by strip, so memory follows the strip (refineInStrips.ts); same result within a level.
    const { layers, isCartoon } = await refineLayersInStrips({ ...job, layouts: job.layouts }, checkpoint);
    return { width: job.image.width, height: job.image.height, channels: 4, pixels: new Uint8Array(0), isCartoon, layers };
  }
  // Alone on its thread (the kernel worker), the refinement borrows its big planes for the job's length; the result is
  // packed into new arrays before the scope closes.
  const scope = isOnlyJobOnThread ? openWorkingScope() : undefined;
  try {
    return await refineWhole(job, checkpoint, scope?.borrow);
  } finally {
    scope?.close();
  }
}

/** {@link runRefineJob} for a picture refined whole. */
async function refineWhole(job: RefineJob, checkpoint: () => void, borrowPlanes: BorrowArray | undefined): Promise<RefineResult> {
  const previous = job.clip?.previous;
  let stableAlpha: AlphaMatte | undefined;
  const refine = job.matteIsUpsampled ? refineUpsampled : refineCutout;
  const refined = await refine(job.image, job.matte, job.settings, {}, {
    withSpillHeatmap: job.output === 'preview' && !job.layouts,
    borrowPlanes,
    borrowAlpha: !job.clip, // a clip frame's matte is kept as the next frame's state
    maskEdit: job.maskEdit,
    refineEdgeMask: job.refineEdgeMask ?? (job.maskEdit && refineEdgeMaskOf(job.maskEdit)),
    isCartoonDetected: job.isCartoonDetected,
    cartoonScore: job.cartoonScore,
    // Previews and exports of the same picture share their band (a clip frame is seen once, and is stabilised).
    bandMemo: job.clip ? undefined : bandMemo,
    // Called between guided upsampling and the costly colour estimation: a cancel checkpoint, and clips stabilise here.
    stabilize: (alpha) => {
      checkpoint();
      if (!job.clip) return alpha;
      const stable = job.clip.stabilize && previous ? stabilizeMatte(previous.stableAlpha, alpha, previous.image, job.image) : alpha;
      stableAlpha = { ...stable, data: stable.data.slice() }; // refined in place afterwards
      return stable;
    },
  });
  checkpoint();
  const { width, height } = job.image;
  const clip = job.clip ? clipFigures(job, refined, stableAlpha!, previous) : undefined;
  if (job.layouts) return { width, height, channels: 4, pixels: new Uint8Array(0), isCartoon: refined.isCartoon, layers: composeLayers(job, refined), clip };
  if (job.output === 'matte') return { width, height, channels: 1, pixels: toImage8(refined.alpha).data, isCartoon: refined.isCartoon, clip };
  const rgba = composeRgba(refined.foreground, refined.alpha, { premultiplied: job.output === 'premultiplied' });
  const heatmap = job.output === 'preview' ? (refined.spillHeatmap ? toImage8(refined.spillHeatmap).data : new Uint8Array(width * height)) : undefined;
  return { width, height, channels: 4, pixels: rgba.data, heatmap, isCartoon: refined.isCartoon, clip };
}

function composeLayers(job: RefineJob, refined: RefinedCutout): Partial<Record<PixelLayout, Image8>> {
  const layers: Partial<Record<PixelLayout, Image8>> = {};
  const { width, height } = job.image;
  for (const layout of new Set(job.layouts)) {
    if (layout === 'gray') layers.gray = { width, height, channels: 1, data: toImage8(refined.alpha).data };
    else if (layout === 'composite') {
      if (!job.background) throw new TypeError('Expected a background picture for background but received none');
      layers.composite = compositeOver(refined.foreground, refined.alpha, job.background);
    } else layers[layout] = composeRgba(refined.foreground, refined.alpha, { premultiplied: layout === 'premultiplied' });
  }
  return layers;
}

function clipFigures(job: RefineJob, refined: RefinedCutout, stableAlpha: AlphaMatte, previous: ClipFrameState | undefined): NonNullable<RefineResult['clip']> {
  const gray = toGray(job.image);
  const summary = assessMatte(refined.alpha);
  const flicker = previous ? measureFlicker(previous.finalAlpha, refined.alpha, previous.gray, gray) : undefined;
  return { state: { stableAlpha, image: job.image, finalAlpha: refined.alpha, gray, summary: { coverage: summary.coverage, fragments: summary.fragments } }, flicker };
}

/** The buffers of a result or a job's clip state, to transfer instead of copy between threads. */
export function transferablesOf(value: { layers?: RefineResult['layers']; clip?: { state?: ClipFrameState; previous?: ClipFrameState }; pixels?: Uint8Array; heatmap?: Uint8Array }): ArrayBuffer[] {
  const states = [value.clip?.state, value.clip?.previous].filter((state) => state !== undefined);
  return buffersOf([value.pixels, value.heatmap, ...Object.values(value.layers ?? {}).map((layer) => layer.data), ...states.flatMap((state) => [state.stableAlpha.data, state.image.data, state.finalAlpha.data, state.gray.data])]);
}

/** The planes of a job that owns them ({@link RefineJob.ownsPlanes}), to transfer to the worker. */
export function ownedPlanesOf(job: RefineJob): ArrayBuffer[] {
  if (!job.ownsPlanes) return [];
  const edit = job.maskEdit;
  return buffersOf([job.image.data, job.matte.data, job.refineEdgeMask?.data, job.background?.data, edit?.add, edit?.remove, edit?.refineEdge]);
}

/** The distinct non-empty `ArrayBuffer`s under `views` (shared memory cannot be transferred). */
function buffersOf(views: Array<ArrayBufferView | undefined>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) if (view && view.buffer instanceof ArrayBuffer && view.byteLength > 0) buffers.add(view.buffer);
  return [...buffers];
}
