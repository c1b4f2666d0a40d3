import { basename } from 'node:path';
import { toGray } from '../../core/filters/toGray';
import type { AlphaMatte, FloatImage, Image8 } from '../../core/imageTypes';
import { assessMatte } from '../../core/matting/assessMatte';
import { detectAbruptChange, type MatteSummary } from '../../core/matting/detectAbruptChange';
import type { MaskEdit } from '../../core/matting/maskEdit';
import { stabilizeMatte } from '../../core/matting/stabilizeMatte';
import { measureFlicker } from '../../core/metrics/flicker';
import { throwIfCancelled } from '../../shared/errors';
import { throttleProgress, type JobControl } from '../../shared/jobs';
import type { MatteTier, StillSettings } from '../../shared/settings';
import type { Engine } from '../engine';
import { decodeFrames } from '../media/decodeFrames';
import { probeMedia, type Rational } from '../media/probeMedia';
import { computeMatte, type MatteCandidates, type TieredMatte } from '../pipeline/computeMatte';
import { refineCutout } from '../pipeline/refineCutout';
import { timeStage, type StageTimings } from '../pipeline/stageTimer';
import type { ClipFormat } from './clipFormats';
import { ClipTargets, type ClipExportTarget, type ClipTargetResult } from './clipTargets';
import { loadBackground } from './loadBackground';
import { mapAsync, prefetch } from './prefetch';

/** Options for {@link matteClipToMany}: one matting pass, any number of export targets. */
export interface MatteClipManyOptions extends JobControl {
  input: string;
  targets: ClipExportTarget[];
  /** One snapshot for every frame (uniform results). */
  settings: StillSettings;
  /** `mp4` composites: `#rrggbb` or a picture path. @default '#000000' */
  background?: string;
  /** Motion-aware temporal stabilisation. @default true */
  stabilize?: boolean;
  /** The artist's per-frame hand edits (from the studio's document), applied on top. */
  maskEditFor?: (frameIndex: number) => MaskEdit | undefined;
  /** Export only this many frames (previews and tests). @default all */
  maxFrames?: number;
  /** Called per frame with its final alpha (the studio's cache, benchmarks). */
  onFrameAlpha?: (frameIndex: number, alpha: AlphaMatte) => void;
}

/** Options for {@link matteClip}: one target. */
export interface MatteClipOptions extends Omit<MatteClipManyOptions, 'targets'> {
  /** Output file, or folder for `png`. */
  output: string;
  format: ClipFormat;
}

/** A frame whose matte changed abruptly, for the studio's review list. */
export interface FlaggedFrame {
  frameIndex: number;
  reason: string;
}

/** What one matting pass of a clip produced, per target. */
export interface ClipManyOutcome {
  input: string;
  targets: ClipTargetResult[];
  frames: number;
  fps: Rational;
  /** Mean |α_t − α_{t−1}| over pixels whose colour barely changed, averaged over the clip. */
  flicker: number;
  flaggedFrames: FlaggedFrame[];
  tier: MatteTier;
  model: string;
  ep: string;
  /** Sum of model inference times and the whole wall time, milliseconds. */
  inferenceMs: number;
  wallMs: number;
  timings: StageTimings;
}

/** What one clip export produced. */
export interface ClipOutcome extends Omit<ClipManyOutcome, 'targets'> {
  output: string;
  format: ClipFormat;
  audio: boolean;
  /** True when the written file was decoded back and its alpha checked (`null` for formats without alpha). */
  alphaVerified: boolean | null;
}

interface MattedFrame {
  index: number;
  image: Image8;
  tiered: TieredMatte;
}

/** Mattes a clip and writes one export format; rejects with the export's error when it fails. */
export async function matteClip(engine: Engine, options: MatteClipOptions): Promise<ClipOutcome> {
  const { output, format, ...rest } = options;
  const { targets, ...outcome } = await matteClipToMany(engine, { ...rest, targets: [{ format, output }] });
  const [result] = targets;
  if (!result!.ok) throw result!.error;
  return { ...outcome, output: result!.output, format, audio: result!.audio, alphaVerified: result!.alphaVerified };
}

/**
 * Mattes a clip frame by frame once and writes it in every target format, keeping its audio, exact fps and frame count.
 * Decoding (ffmpeg), inference (onnxruntime's threads), refinement (JS) and encoding (ffmpeg) overlap through bounded
 * queues. The first frame runs the full tier chain; later frames use the same model (uniform results), falling back
 * to the classical tier for a frame only if the model errors. Each written file is verified: alpha must survive.
 * A target that fails is reported in its result while the others go on; a cancel rejects and leaves no files.
 */
export async function matteClipToMany(engine: Engine, options: MatteClipManyOptions): Promise<ClipManyOutcome> {
  const started = performance.now();
  const { signal } = options;
  const report = throttleProgress(options.onProgress);
  const timings: StageTimings = {};
  const info = await probeMedia(options.input, { signal });
  const frameCount = Math.min(info.frameCount, options.maxFrames ?? Infinity);
  const { displayWidth: width, displayHeight: height } = info;
  const background = await loadBackground(options.background, width, height);
  const writers = await ClipTargets.open(options.targets, info, frameCount, background, signal);
  let candidates: MatteCandidates = await engine.models.pickTiers(options.settings.modelId);
  let firstTier: TieredMatte | undefined;
  const inferenceTimings: StageTimings = {};

  const infer = async (frame: { index: number; image: Image8 }): Promise<MattedFrame> => {
    const image = { ...frame.image, data: frame.image.data.slice() }; // decoder buffers are reused views
    const tiered = await computeMatte(image, candidates, engine.sessions, inferenceTimings, signal, { skipQualityCheck: firstTier !== undefined });
    if (!firstTier) {
      firstTier = tiered;
      candidates = tiered.tier === 3 ? {} : { best: tiered.tier === 1 ? candidates.best : candidates.lighter };
    }
    return { index: frame.index, image, tiered };
  };

  let previousStable: AlphaMatte | undefined;
  let previousImage: Image8 | undefined;
  let previousFinal: AlphaMatte | undefined;
  let previousGray: FloatImage | undefined;
  let previousSummary: MatteSummary | undefined;
  let flickerSum = 0;
  const flaggedFrames: FlaggedFrame[] = [];
  let written = 0;
  try {
    const decoded = decodeFrames(options.input, { signal, info, maxFrames: frameCount });
    const matted = prefetch(mapAsync(prefetch(decoded, 2), infer), 1);
    for await (const frame of matted) {
      throwIfCancelled(signal, 'Exporting the clip');
      if (!writers.hasLiveTargets) break; // every export failed: no point matting further
      const stabilize =
        options.stabilize === false
          ? undefined
          : (alpha: AlphaMatte) => {
              const stable = previousStable && previousImage ? stabilizeMatte(previousStable, alpha, previousImage, frame.image) : alpha;
              previousStable = { ...stable, data: stable.data.slice() };
              previousImage = frame.image;
              return stable;
            };
      const refined = await refineCutout(frame.image, frame.tiered.matte, options.settings.refinement, timings, {
        stabilize,
        maskEdit: options.maskEditFor?.(frame.index),
      });
      await timeStage(timings, 'encode', () => writers.write(refined.foreground, refined.alpha, background));
      const gray = toGray(frame.image);
      const summary = assessMatte(refined.alpha);
      if (previousFinal && previousGray && previousSummary) {
        flickerSum += measureFlicker(previousFinal, refined.alpha, previousGray, gray);
        const reason = detectAbruptChange(previousSummary, summary);
        if (reason) flaggedFrames.push({ frameIndex: frame.index, reason });
      }
      [previousFinal, previousGray, previousSummary] = [refined.alpha, gray, summary];
      options.onFrameAlpha?.(frame.index, refined.alpha);
      written++;
      report({ stage: 'matting', fraction: written / (frameCount + 1), item: `${basename(options.input)} frame ${written}/${frameCount}` });
    }
  } catch (error) {
    await writers.abort();
    throw error;
  }
  report({ stage: 'verifying', fraction: frameCount / (frameCount + 1) });
  const targets = await timeStage(timings, 'finish', () => writers.finish(signal));
  report({ stage: 'done', fraction: 1 });
  const tier = firstTier!;
  return {
    input: options.input,
    targets,
    frames: written,
    fps: info.fps,
    flicker: written > 1 ? flickerSum / (written - 1) : 0,
    flaggedFrames,
    tier: tier.tier,
    model: tier.model,
    ep: tier.ep,
    inferenceMs: inferenceTimings.inference ?? inferenceTimings.classical ?? 0,
    wallMs: performance.now() - started,
    timings: { ...timings, ...Object.fromEntries(Object.entries(inferenceTimings).map(([stage, ms]) => [stage, ms])) },
  };
}
