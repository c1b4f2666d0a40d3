/**
 * A still's export refinement spread over the kernel workers: once the model has run, refinement is all that is
 * left, so on a machine with several cores one worker refining the whole picture leaves the others idle. A still is
 * cut into the strips `stillStripCount` gives, from the picture alone, each strip read with the overlap
 * `stripOverlapRows` gives (so the result is the whole picture's within a level: `refineInStrips.test.ts`) and the
 * strips cut so their work is about equal (`balancedStrips.ts`). With several lanes free the matte is upsampled and the
 * outline verdict made once for the whole picture (one job), each lane refines its strips, and the kept rows are
 * copied into the output layers; with one lane, one job refines the same strips one after another. Either way the
 * same strips give the same bytes. Small pictures, clip frames and very large stills (refined in strips inside one
 * worker, for memory) take one job.
 */
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import type { PixelLayout } from '../../shared/outputFormats';
import { planBalancedStrips, stillStripCount } from './balancedStrips';
import { allocateLayers, maskEditRows, stripOverlapRows, type StripSpan } from '../pipeline/refineInStrips';
import type { KernelRunner, StripRunner } from './kernelWorkers';
import type { RefineJob, RefineResult } from './refineJob';

/**
 * Refines an export's still (a job with `layouts`): in the strips {@link stillStripCount} gives, side by side when
 * several lanes are free, else one after another in one job (the same strips, so the same bytes).
 */
export async function refineStillAcrossWorkers(workers: KernelRunner & StripRunner, job: RefineJob & { layouts: PixelLayout[] }, signal?: AbortSignal): Promise<RefineResult> {
  const { width, height } = job.image;
  const overlap = stripOverlapRows(job.settings);
  const strips = job.clip || job.matteIsUpsampled ? 1 : stillStripCount(width, height, overlap);
  if (strips < 2) return workers.run(job, signal);
  workers.noteStill(job);
  const lanes = workers.stripLanes;
  if (lanes < 2) return workers.run({ ...job, strips }, signal);
  const { alpha, isOutlineProtected, rowWork } = await workers.runKernel({ task: 'upsampleMatte', image: job.image, matte: job.matte, settings: job.settings, isCartoonDetected: job.isCartoonDetected, cartoonScore: job.cartoonScore }, signal);
  const settings = { ...job.settings, cartoonMode: isOutlineProtected ? ('on' as const) : ('off' as const) };
  const spans = planBalancedStrips(rowWork, overlap, strips);
  const parts = await Promise.all(spans.map((span, index) => workers.runOnLane(index % lanes, stripJob(job, alpha, settings, span), signal)));
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
