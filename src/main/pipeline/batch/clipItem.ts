import type { BatchItemOutcome } from '../../../shared/batchTypes';
import { isStudioError, throwIfCancelled, toErrorData } from '../../../shared/errors';
import { formatRational, probeMedia } from '../../media/probeMedia';
import { matteClipToMany } from '../clips/matteClip';
import { fallbackNotes } from '../computeMatte';
import type { ItemContext } from './itemContext';
import type { PlannedItem } from './planBatch';

/**
 * Exports a clip in every planned format from ONE matting pass (`matteClipToMany`: cached mattes reused, hand edits
 * applied per frame, each file verified after writing: frame count, fps, alpha). A clip that cannot be read throws
 * (the item fails); a format that fails is recorded and the others go on; a full disk is rethrown so the batch stops.
 * A cancel throws `CANCELLED` and leaves none of this clip's files; earlier items stay.
 */
export async function runClipItem(item: PlannedItem, result: BatchItemOutcome, context: ItemContext): Promise<void> {
  const { engine, request, signal, report, source } = context;
  report('reading', 0);
  const info = await probeMedia(item.input, { signal });
  throwIfCancelled(signal, 'The batch');
  context.weigh?.(Math.min(info.frameCount, request.maxFrames ?? Infinity));
  try {
    const outcome = await matteClipToMany(engine, {
      input: item.input,
      targets: item.targets.map((target) => ({ format: target.format, output: target.path, mayReplace: request.overwrite === 'overwrite' })),
      settings: request.settings,
      background: request.background,
      maxFrames: request.maxFrames,
      mattes: source?.mattes,
      maskEditFor: source?.maskEditFor && ((frameIndex) => source.maskEditFor!(frameIndex, info.displayWidth, info.displayHeight)),
      signal,
      onProgress: (progress) => report(`exporting ${item.targets.map((target) => target.format).join(', ')} · ${progress.item ?? progress.stage}`, progress.fraction),
    });
    result.tier ??= outcome.tier;
    result.model ??= outcome.model;
    result.ep ??= outcome.ep;
    if (result.fallbackReasons.length === 0) {
      result.fallbackReasons = outcome.fallbackReasons;
      result.notes.push(...fallbackNotes(outcome));
    }
    let alphaVerified: boolean | null = null;
    let audio = false;
    for (const [index, target] of outcome.targets.entries()) {
      const format = item.targets[index]!.format;
      if (target.ok) {
        result.outputs.push({ format, path: target.output });
        if (target.alphaVerified !== null) alphaVerified = (alphaVerified ?? true) && target.alphaVerified;
        audio ||= target.audio;
      } else result.failed.push({ format, error: target.error.toData() });
    }
    result.clip = { frames: outcome.frames, fps: formatRational(outcome.fps), audio, alphaVerified, flicker: outcome.flicker, flaggedFrames: outcome.flaggedFrames, reusedMattes: outcome.reusedMattes };
    if (outcome.flaggedFrames.length > 0) result.notes.push(`${outcome.flaggedFrames.length} frame(s) changed abruptly; review them.`);
    const diskFull = outcome.targets.find((target) => !target.ok && target.error.code === 'DISK_FULL');
    if (diskFull && !diskFull.ok) throw diskFull.error;
  } catch (error) {
    if (isStudioError(error, 'CANCELLED') || signal?.aborted) throw error;
    if (isStudioError(error, 'DISK_FULL') && result.failed.length > 0) throw error;
    for (const target of item.targets) result.failed.push({ format: target.format, error: toErrorData(error) });
    if (isStudioError(error, 'DISK_FULL')) throw error;
  }
  report('done', 1);
}
