import sharp from 'sharp';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { assessMatte } from '../../core/matting/assessMatte';
import { classicalMatte } from '../../core/matting/classicalMatte';
import { throwIfCancelled, isStudioError } from '../../shared/errors';
import type { InstalledModel } from '../../shared/modelTypes';
import type { ModelTiers } from '../models/modelStore';
import type { MatteTier } from '../../shared/settings';
import type { ExecutionProviderId } from '../inference/executionProviders';
import type { InferenceQuality } from '../inference/inferenceQuality';
import { resizeForModel } from '../inference/modelInput';
import { toRunnableModel } from '../inference/mattingSession';
import type { SessionCache } from '../inference/sessionCache';
import type { KernelRunner } from '../kernels/kernelWorkers';
import { timeStage, type StageTimings } from './stageTimer';

/** The models to try, best first; either may be missing. */
/** The models to try, as `ModelStore.pickTiers` chose them; its `missingPreferred` becomes the first fallback reason. */
export type MatteCandidates = ModelTiers;

/** A matte at the resolution the tier produced it, and who made it. */
export interface TieredMatte {
  /** Low-resolution matte (model input size, or the classical working size). */
  matte: AlphaMatte;
  tier: MatteTier;
  /** Model id, or `classical` for tier 3. */
  model: string;
  /** Execution provider that ran the model; `js` for the classical tier. */
  ep: ExecutionProviderId | 'js';
  /** Why earlier tiers were skipped, and why a chosen model that is not installed did not run, in plain words. */
  fallbackReasons: string[];
  /**
   * Why the model ran on a later execution provider than the first one tried (a GPU provider that could not start or
   * failed mid-run), in plain words; absent when the first provider ran it.
   */
  providerNotes?: string[];
  /** `draft` when the model ran below its native input size (review only; exports never ask for it). */
  quality?: 'draft';
}

/** A matte's fallbacks as batch and CLI notes: each tier it skipped, and why it ran on a later provider. */
export function fallbackNotes(tiered: Pick<TieredMatte, 'fallbackReasons' | 'providerNotes'>): string[] {
  return [...tiered.fallbackReasons.map((reason) => `Fell back: ${reason}.`), ...(tiered.providerNotes ?? []).map((note) => `Provider: ${note}.`)];
}

/** Long side of the picture the classical tier works on: big enough for a head-and-shoulders outline, fast in JS. */
const classicalWorkingSide = 320;

/**
 * Runs the three-tier fallback: the best installed model, then a lighter model, then the classical gradient mask that
 * never fails. A model that is missing, fails to load or run, or produces a matte that fails the quality check (empty,
 * covering nearly everything, badly fragmented; skippable for clip frames after the first) moves on to the next tier;
 * each step's reason is recorded.
 */
export async function computeMatte(
  image: Image8,
  candidates: MatteCandidates,
  sessions: SessionCache,
  timings: StageTimings,
  signal?: AbortSignal,
  options: { skipQualityCheck?: boolean; kernels?: Pick<KernelRunner, 'runKernel'>; quality?: InferenceQuality } = {},
): Promise<TieredMatte> {
  // The quality check is a JS kernel: in the kernel worker when the caller has one, so the host thread stays free.
  const assess = (matte: AlphaMatte) => (options.kernels ? options.kernels.runKernel({ task: 'assessMatte', matte }, signal) : assessMatte(matte));
  const fallbackReasons: string[] = candidates.missingPreferred ? [candidates.missingPreferred] : [];
  const tiers: Array<[MatteTier, InstalledModel | undefined, string]> = [
    [1, candidates.best, 'no model is installed'],
    [2, candidates.lighter, 'no lighter model is installed'],
  ];
  for (const [tier, model, missingReason] of tiers) {
    throwIfCancelled(signal, 'Matting');
    if (!model) {
      fallbackReasons.push(`tier ${tier}: ${missingReason}`);
      continue;
    }
    try {
      const runnable = toRunnableModel(model);
      const session = await timeStage(timings, 'sessionOpen', () => sessions.get(runnable));
      const { input } = session.model;
      // Draft runs the same session at a smaller input where the graph allows it; a static graph runs at its size.
      const size = session.inputSize(options.quality);
      const isDraft = size.width !== input.width || size.height !== input.height;
      const pixels = await timeStage(timings, 'preprocess', () => resizeForModel(image, size.width, size.height));
      const result = await timeStage(timings, 'inference', () => session.run(pixels, size));
      const matte: AlphaMatte = { width: result.width, height: result.height, channels: 1, data: result.matte };
      // In a clip an empty frame can be real (the subject stepped out): there only errors move to the next tier.
      const verdict = options.skipQualityCheck ? { isUsable: true, reason: '' } : await timeStage(timings, 'qualityCheck', () => assess(matte));
      if (verdict.isUsable) {
        const providerNotes = session.providerFallbackReasons.length > 0 ? { providerNotes: [...session.providerFallbackReasons] } : {};
        return { matte, tier, model: model.spec.id, ep: session.provider, fallbackReasons, ...providerNotes, ...(isDraft ? { quality: 'draft' as const } : {}) };
      }
      fallbackReasons.push(`tier ${tier} (${model.spec.id}): ${verdict.reason}`);
    } catch (error) {
      if (isStudioError(error, 'CANCELLED')) throw error;
      fallbackReasons.push(`tier ${tier} (${model.spec.id}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throwIfCancelled(signal, 'Matting');
  const matte = await timeStage(timings, 'classical', async () => {
    const reduced = await downscale(image, classicalWorkingSide);
    return options.kernels ? options.kernels.runKernel({ task: 'classicalMatte', image: reduced }, signal) : classicalMatte(reduced);
  });
  return { matte, tier: 3, model: 'classical', ep: 'js', fallbackReasons };
}

async function downscale(image: Image8, longSide: number): Promise<Image8> {
  const { data, info } = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
