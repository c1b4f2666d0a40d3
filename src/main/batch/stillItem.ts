import sharp from 'sharp';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { composeRgba } from '../../core/matting/premultiply';
import type { BatchFormat, BatchItemOutcome } from '../../shared/batchTypes';
import { isStudioError, throwIfCancelled, toErrorData } from '../../shared/errors';
import { decodeImage } from '../imageIo/decodeImage';
import { encodePng } from '../imageIo/encodePng';
import { computeMatte } from '../pipeline/computeMatte';
import { refineCutout, type RefinedCutout } from '../pipeline/refineCutout';
import type { StageTimings } from '../pipeline/stageTimer';
import type { ItemContext } from './itemContext';
import type { PlannedItem } from './planBatch';
import { writeOutputFile } from './writeOutputFile';

/**
 * Decodes and mattes a still once, then writes it in every planned format. A bad file throws (the item fails); a
 * format that cannot be encoded or written is recorded in `result.failed` and the other formats go on. A cancel
 * throws `CANCELLED` between stages; outputs already written stay.
 */
export async function runStillItem(item: PlannedItem, result: BatchItemOutcome, context: ItemContext): Promise<void> {
  const { engine, request, signal, report } = context;
  const timings: StageTimings = {};
  report('decoding', 0);
  const decoded = await decodeImage(item.input);
  result.notes.push(...decoded.notes);
  throwIfCancelled(signal, 'The batch');
  report('matting', 0.1);
  const tiered = await computeMatte(decoded.image, context.candidates, engine.sessions, timings, signal);
  throwIfCancelled(signal, 'The batch');
  report('refining', 0.6);
  const refined = await refineCutout(decoded.image, tiered.matte, request.settings.refinement, timings);
  result.tier = tiered.tier;
  result.model = tiered.model;
  result.notes.push(...tiered.fallbackReasons.map((reason) => `Fell back: ${reason}.`));
  const pixels = new Map<string, Image8>();
  for (const [position, target] of item.targets.entries()) {
    throwIfCancelled(signal, 'The batch');
    report(`writing ${target.format}`, 0.8 + (0.2 * position) / item.targets.length);
    try {
      const data = await encodeStill(target.format, refined, pixels);
      throwIfCancelled(signal, 'The batch');
      await writeOutputFile(target.path, data);
      result.outputs.push({ format: target.format, path: target.path });
    } catch (error) {
      if (isStudioError(error, 'CANCELLED')) throw error;
      result.failed.push({ format: target.format, error: toErrorData(error) });
    }
  }
  report('done', 1);
}

/** Encodes one still format, composing each pixel layout at most once per item. */
async function encodeStill(format: BatchFormat, refined: RefinedCutout, pixels: Map<string, Image8>): Promise<Uint8Array> {
  const layout = format === 'matte' ? 'gray' : format === 'png-premultiplied' ? 'premultiplied' : 'straight';
  let image = pixels.get(layout);
  if (!image) {
    image = layout === 'gray' ? toGray(refined.alpha) : composeRgba(refined.foreground, refined.alpha, { premultiplied: layout === 'premultiplied' });
    pixels.set(layout, image);
  }
  if (format === 'png' || format === 'png-premultiplied') return encodePng(image);
  const raw = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 4 } });
  // sharp writes one-channel input as RGB unless told the output is grey; a matte should be a one-channel PNG.
  if (format === 'matte') return raw.toColourspace('b-w').png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
  // `exact` keeps the estimated colour under fully transparent pixels, as straight-alpha PNG does, so edges stay editable.
  // Effort 0: on a 1920×1080 cut-out it encoded in 0.48 s instead of 2.1 s (effort 4) for a 20% larger file (1.68 MB
  // against 1.40 MB; the PNG is 3.35 MB). At effort 4 the encoder took longer than the model.
  return raw.webp({ lossless: true, exact: true, effort: 0 }).toBuffer();
}

function toGray(alpha: AlphaMatte): Image8 {
  const data = new Uint8Array(alpha.width * alpha.height);
  for (let index = 0; index < data.length; index++) data[index] = Math.round(Math.min(1, Math.max(0, alpha.data[index]!)) * 255);
  return { width: alpha.width, height: alpha.height, channels: 1, data };
}
