import type { BatchFormat, BatchItemOutcome } from '../../shared/batchTypes';
import { isStudioError, throwIfCancelled, toErrorData } from '../../shared/errors';
import { probeMedia } from '../media/probeMedia';
import type { ClipFormat } from '../video/clipFormats';
import { matteClip } from '../video/matteClip';
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
 * Exports a clip in every planned format, one `matteClip` pass per format (each verified after writing: frame count,
 * fps, alpha). A clip that cannot be read throws (the item fails); a format that fails is recorded and the others go
 * on. A cancel throws `CANCELLED`; the format in progress leaves no partial file, earlier ones stay.
 */
export async function runClipItem(item: PlannedItem, result: BatchItemOutcome, context: ItemContext): Promise<void> {
  const { engine, request, signal, report } = context;
  report('reading', 0);
  await probeMedia(item.input, { signal });
  for (const [position, target] of item.targets.entries()) {
    throwIfCancelled(signal, 'The batch');
    const toItemFraction = (fraction: number) => (position + fraction) / item.targets.length;
    report(`exporting ${target.format}`, toItemFraction(0));
    try {
      const outcome = await matteClip(engine, {
        input: item.input,
        output: target.path,
        format: clipFormatFor[target.format]!,
        settings: request.settings,
        background: request.background,
        maxFrames: request.maxFrames,
        signal,
        onProgress: (progress) => report(`${target.format} ${progress.stage}`, toItemFraction(progress.fraction)),
      });
      result.tier ??= outcome.tier;
      result.model ??= outcome.model;
      result.outputs.push({ format: target.format, path: outcome.output });
      if (result.outputs.length === 1 && outcome.flaggedFrames.length > 0) result.notes.push(`${outcome.flaggedFrames.length} frame(s) changed abruptly; review them.`);
    } catch (error) {
      if (isStudioError(error, 'CANCELLED') || signal?.aborted) throw error;
      result.failed.push({ format: target.format, error: toErrorData(error) });
    }
  }
  report('done', 1);
}
