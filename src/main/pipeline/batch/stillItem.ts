/**
 * A still through the pipeline, in three stages that the batch overlaps across items (decode of item k+1 and the
 * refine/encode/write of item k−1 run while the model works on item k): decode → matte → refine, compose, encode and
 * write. Refining and composing run in the engine's kernel workers (a big enough still in strips across them), encoding in sharp's threads, so the host thread only
 * moves buffers.
 */
import { stat } from 'node:fs/promises';
import type { Image8 } from '../../../core/imageTypes';
import type { BatchItemOutcome } from '../../../shared/batchTypes';
import { isStudioError, StudioError, throwIfCancelled, toErrorData } from '../../../shared/errors';
import { formatSpec, type PixelLayout } from '../../../shared/outputFormats';
import { decodeImage } from '../../imageIo/decodeImage';
import { refineStillAcrossWorkers } from '../../kernels/refineStillAcrossWorkers';
import { computeMatte, fallbackNotes, type TieredMatte } from '../computeMatte';
import { encodeStill, verifyStillAlpha } from '../encodeStill';
import type { ItemContext } from './itemContext';
import type { PlannedItem } from './planBatch';
import { writeOutputFile } from './writeOutputFile';

/** A decoded still, upright 8-bit RGB. */
export interface DecodedStill {
  image: Image8;
  notes: string[];
}

/** Stage 1: reads the file (a bad file throws: the item fails). */
export async function decodeStill(item: PlannedItem, context: ItemContext): Promise<DecodedStill> {
  context.report('decoding', 0);
  const decoded = await decodeImage(item.input);
  throwIfCancelled(context.signal, 'The batch');
  return { image: decoded.image, notes: decoded.notes };
}

/** Stage 2: the matte, from the studio's cache when it has one for this model, else from the tier chain. */
export async function matteStill(decoded: DecodedStill, context: ItemContext): Promise<TieredMatte> {
  context.report('matting', 0.1);
  const cached = await context.source?.mattes?.get(0);
  if (cached) return cached;
  const tiered = await computeMatte(decoded.image, context.candidates, context.engine.sessions, {}, context.signal, { kernels: context.engine.kernels });
  await context.source?.mattes?.set(0, tiered);
  throwIfCancelled(context.signal, 'The batch');
  return tiered;
}

/**
 * Stage 3: refines once (with the artist's hand edit), composes every layout the formats need, then encodes and writes
 * each format. A format that cannot be encoded or written is recorded in `result.failed` and the others go on; a
 * full disk is rethrown so the batch stops. A cancel throws `CANCELLED`; outputs already written stay.
 */
export async function writeStill(item: PlannedItem, decoded: DecodedStill, tiered: TieredMatte, result: BatchItemOutcome, context: ItemContext): Promise<void> {
  const { request, signal, report } = context;
  result.tier = tiered.tier;
  result.model = tiered.model;
  result.ep = tiered.ep;
  result.fallbackReasons = tiered.fallbackReasons;
  result.notes.push(...decoded.notes, ...fallbackNotes(tiered));
  report('refining', 0.6);
  const layouts = [...new Set(item.targets.map((target) => formatSpec(target.format, 'image')!.layout))] as PixelLayout[];
  const { image } = decoded;
  const maskEdit = context.source?.maskEditFor?.(0, image.width, image.height);
  const refined = await refineStillAcrossWorkers(context.engine.kernels, { image, matte: tiered.matte, settings: request.settings.refinement, output: 'straight', layouts, maskEdit }, signal);
  for (const [position, target] of item.targets.entries()) {
    throwIfCancelled(signal, 'The batch');
    report(`writing ${target.format}`, 0.8 + (0.2 * position) / item.targets.length);
    try {
      const spec = formatSpec(target.format, 'image')!;
      const pixels = refined.layers![spec.layout]!;
      const data = await encodeStill(target.format, pixels);
      throwIfCancelled(signal, 'The batch');
      await writeOutputFile(target.path, data, { mayReplace: request.overwrite === 'overwrite' });
      const isFile = (await stat(target.path)).isFile(); // not a device such as a link to /dev/null
      if (spec.hasAlpha && isFile && !(await verifyStillAlpha(target.path, pixels).catch(() => false))) {
        throw new StudioError('OUTPUT_UNWRITABLE', `${target.path} was written, but its transparency did not read back as written.`);
      }
      if (spec.hasAlpha) result.alphaVerified = true;
      result.outputs.push({ format: target.format, path: target.path });
    } catch (error) {
      if (isStudioError(error, 'CANCELLED')) throw error;
      result.failed.push({ format: target.format, error: toErrorData(error) });
      if (isStudioError(error, 'DISK_FULL')) throw error; // the batch stops: every later write would fail too
    }
  }
  report('done', 1);
}
