/**
 * A still's export refinement spread over the kernel workers: once the model has run, refinement is all that is
 * left, so on a machine with several cores one worker refining the whole picture leaves the others idle. The matte is
 * upsampled and the outline verdict made once for the whole picture (one job), then each worker refines one strip of
 * rows, cut so the strips' work is about equal (`balancedStrips.ts`), with the overlap `stripOverlapRows` gives (the
 * same overlap that keeps 24 MP stills within memory, so the result is the whole-picture refinement's within a level:
 * `refineInStrips.test.ts`), and the kept rows are copied into the output layers. Small pictures, clip frames and very
 * large stills (refined in strips inside one worker, for memory) take one job as before.
 */
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import type { PixelLayout } from '../../shared/outputFormats';
import { planBalancedStrips } from './balancedStrips';
import { allocateLayers, maskEditRows, stripOverlapRows, stripThresholdPixels, type StripSpan } from '../pipeline/refineInStrips';
import type { KernelWorkers } from './kernelWorkers';
import type { RefineJob, RefineResult } from './refineJob';

/** Below this many pixels a picture is refined whole: the overlap and the extra job would cost more than they save. */
export const minimumPixelsAcrossWorkers = 250_000;

/** Refines an export's still (a job with `layouts`), across workers when that pays. */
export async function refineStillAcrossWorkers(workers: Pick<KernelWorkers, 'run' | 'runKernel' | 'size'>, job: RefineJob & { layouts: PixelLayout[] }, signal?: AbortSignal): Promise<RefineResult> {
  const { width, height } = job.image;
  const pixels = width * height;
  const overlap = stripOverlapRows(job.settings);
  const stripCount = Math.min(workers.size, Math.floor(height / (2 * overlap)));
  if (stripCount < 2 || job.clip || job.matteIsUpsampled || pixels < minimumPixelsAcrossWorkers || pixels > stripThresholdPixels) return workers.run(job, signal);
  const { alpha, isOutlineProtected, rowWork } = await workers.runKernel({ task: 'upsampleMatte', image: job.image, matte: job.matte, settings: job.settings, isCartoonDetected: job.isCartoonDetected, cartoonScore: job.cartoonScore }, signal);
  const settings = { ...job.settings, cartoonMode: isOutlineProtected ? ('on' as const) : ('off' as const) };
  const spans = planBalancedStrips(rowWork, overlap, stripCount);
  const parts = await Promise.all(spans.map((span) => workers.run(stripJob(job, alpha, settings, span), signal)));
  const layers = allocateLayers(job.layouts, width, height);
  spans.forEach((span, index) => copyKeptRows(parts[index]!, span, layers, width));
  return { width, height, channels: 4, pixels: new Uint8Array(0), isCartoon: isOutlineProtected, layers };
}

/** A strip's own refine job: copies of its rows (a view would send the whole picture's buffer to the worker). */
function stripJob(job: RefineJob & { layouts: PixelLayout[] }, alpha: AlphaMatte, settings: RefineJob['settings'], span: StripSpan): RefineJob {
  const { width } = job.image;
  const rows = span.readBottom - span.readTop;
  const start = span.readTop * width;
  const end = span.readBottom * width;
  const rowsOf = (image: Image8): Image8 => ({ width, height: rows, channels: image.channels, data: image.data.slice(start * image.channels, end * image.channels) });
  const maskEdit = job.maskEdit && maskEditRows(job.maskEdit, start, end, rows);
  return {
    image: rowsOf(job.image),
    matte: { width, height: rows, channels: 1, data: alpha.data.slice(start, end) },
    matteIsUpsampled: true,
    settings,
    output: job.output,
    layouts: job.layouts,
    maskEdit: maskEdit && { ...maskEdit, add: maskEdit.add.slice(), remove: maskEdit.remove.slice(), refineEdge: maskEdit.refineEdge.slice() },
    refineEdgeMask: job.refineEdgeMask && { width, height: rows, channels: 1, data: job.refineEdgeMask.data.slice(start, end) },
    background: job.background && rowsOf(job.background),
    ownsPlanes: true,
  };
}

/** Copies a strip's kept rows from its layers into the picture's layers. */
function copyKeptRows(part: RefineResult, span: StripSpan, layers: Partial<Record<PixelLayout, Image8>>, width: number): void {
  for (const [layout, layer] of Object.entries(layers) as Array<[PixelLayout, Image8]>) {
    const source = part.layers![layout]!;
    const channels = layer.channels;
    const skip = (span.top - span.readTop) * width * channels;
    const kept = (span.bottom - span.top) * width * channels;
    layer.data.set(source.data.subarray(skip, skip + kept), span.top * width * channels);
  }
}
