import type { BatchFormat, BatchItemOutcome } from '../../shared/batchTypes';
import { isStudioError, throwIfCancelled, toErrorData } from '../../shared/errors';
import { probeMedia } from '../media/probeMedia';
import type { ClipFormat } from '../video/clipFormats';
import { matteClipToMany } from '../video/matteClip';
import type { ItemContext } from './itemContext';
import type { PlannedItem } from './planBatch';

const clipFormatFor: Partial<Record<BatchFormat, ClipFormat>> = {
  prores: 'prores',
  'prores-fast': 'prores-fast',
  webm: 'webm',
  'webm-fast': 'webm-fast',
  mp4: 'mp4',
  matte: 'matte',
  'png-sequence': 'png',
};

/**
 * Exports a clip in every planned format from ONE matting pass (`matteClipToMany`: each file verified after writing:
 * frame count, fps, alpha). A clip that cannot be read throws (the item fails); a format that fails is recorded and
 * the others go on. A cancel throws `CANCELLED` and leaves none of this clip's files; earlier items stay.
 */
export async function runClipItem(item: PlannedItem, result: BatchItemOutcome, context: ItemContext): Promise<void> {
  const { engine, request, signal, report } = context;
  report('reading', 0);
  await probeMedia(item.input, { signal });
  throwIfCancelled(signal, 'The batch');
  try {
    const outcome = await matteClipToMany(engine, {
      input: item.input,
      targets: item.targets.map((target) => ({ format: clipFormatFor[target.format]!, output: target.path })),
      settings: request.settings,
      background: request.background,
      maxFrames: request.maxFrames,
      signal,
      onProgress: (progress) => report(`exporting ${item.targets.map((target) => target.format).join(', ')}`, progress.fraction),
    });
    result.tier ??= outcome.tier;
    result.model ??= outcome.model;
    for (const [index, target] of outcome.targets.entries()) {
      const format = item.targets[index]!.format;
      if (target.ok) result.outputs.push({ format, path: target.output });
      else result.failed.push({ format, error: target.error.toData() });
    }
    if (outcome.flaggedFrames.length > 0) result.notes.push(`${outcome.flaggedFrames.length} frame(s) changed abruptly; review them.`);
  } catch (error) {
    if (isStudioError(error, 'CANCELLED') || signal?.aborted) throw error;
    for (const target of item.targets) result.failed.push({ format: target.format, error: toErrorData(error) });
  }
  report('done', 1);
}
