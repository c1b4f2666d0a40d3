import type { Image8 } from '../../core/imageTypes';
import { composeRgba } from '../../core/matting/premultiply';
import { throwIfCancelled } from '../../shared/errors';
import type { MatteTier, StillSettings } from '../../shared/settings';
import { writeFileAtomically } from '../files/atomicWrite';
import type { SessionCache } from '../inference/sessionCache';
import { decodeImage } from '../imageIo/decodeImage';
import { encodePng } from '../imageIo/encodePng';
import { computeMatte, type MatteCandidates } from './computeMatte';
import { refineCutout } from './refineCutout';
import { timeStage, type StageTimings } from './stageTimer';

/** What one still produced. */
export interface StillCutout {
  /** Straight-alpha RGBA (or premultiplied / grey matte, as the settings ask). */
  output: Image8;
  tier: MatteTier;
  model: string;
  ep: string;
  fallbackReasons: string[];
  notes: string[];
  isCartoon: boolean;
  timings: StageTimings;
}

/** Mattes one decoded image end to end (no file I/O), for the CLI, the studio and the video pipeline's tests. */
export async function cutoutImage(
  image: Image8,
  settings: StillSettings,
  candidates: MatteCandidates,
  sessions: SessionCache,
  signal?: AbortSignal,
  timings: StageTimings = {},
): Promise<StillCutout> {
  const tiered = await computeMatte(image, candidates, sessions, timings, signal);
  throwIfCancelled(signal, 'Matting');
  const refined = await refineCutout(image, tiered.matte, settings.refinement, timings);
  throwIfCancelled(signal, 'Matting');
  const output = await timeStage(timings, 'compose', () =>
    settings.output.maskOnly ? matteToGray(refined.alpha.data, image.width, image.height) : composeRgba(refined.foreground, refined.alpha, { premultiplied: settings.output.premultiplied }),
  );
  return { output, tier: tiered.tier, model: tiered.model, ep: tiered.ep, fallbackReasons: tiered.fallbackReasons, notes: [], isCartoon: refined.isCartoon, timings };
}

/** Reads `inputPath`, mattes it and writes a PNG to `outputPath` atomically (never a partial file). */
export async function cutoutFile(
  inputPath: string,
  outputPath: string,
  settings: StillSettings,
  candidates: MatteCandidates,
  sessions: SessionCache,
  signal?: AbortSignal,
): Promise<StillCutout> {
  const timings: StageTimings = {};
  const decoded = await timeStage(timings, 'decode', () => decodeImage(inputPath));
  const cutout = await cutoutImage(decoded.image, settings, candidates, sessions, signal, timings);
  cutout.notes.push(...decoded.notes);
  const png = await timeStage(timings, 'encode', () => encodePng(cutout.output));
  throwIfCancelled(signal, 'Matting');
  await timeStage(timings, 'write', () => writeFileAtomically(outputPath, png));
  return cutout;
}

function matteToGray(alpha: Float32Array, width: number, height: number): Image8 {
  const data = new Uint8Array(width * height);
  for (let index = 0; index < data.length; index++) data[index] = Math.round(Math.min(1, Math.max(0, alpha[index]!)) * 255);
  return { width, height, channels: 1, data };
}
