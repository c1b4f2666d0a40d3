import { basename } from 'node:path';
import type { AlphaMatte } from '../../../core/imageTypes';
import { detectAbruptChange } from '../../../core/matting/detectAbruptChange';
import type { MaskEdit } from '../../../core/matting/maskEdit';
import { throwIfCancelled } from '../../../shared/errors';
import { throttleProgress, type JobControl } from '../../../shared/jobs';
import type { MatteTier, StillSettings } from '../../../shared/settings';
import type { Engine } from '../../engine';
import { decodeFrames } from '../../media/decodeFrames';
import { probeMedia, type Rational } from '../../media/probeMedia';
import type { FrameMatteStore } from '../frameMatteStore';
import { timeStage, type StageTimings } from '../stageTimer';
import type { TieredMatte } from '../computeMatte';
import type { ClipFrameState } from '../../kernels/refineJob';
import { FrameMattes } from './frameMattes';
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
  /** Called per frame with its final alpha (benchmarks); the alpha is handed on afterwards, so copy what you keep. */
  onFrameAlpha?: (frameIndex: number, alpha: AlphaMatte) => void;
  /** Cached mattes of this clip for the chosen model (the studio's background pass fills it). */
  mattes?: FrameMatteStore;
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
  /** Why the first frame's matte came from a later tier, and why it ran on a later execution provider (see TieredMatte). */
  fallbackReasons: string[];
  providerNotes?: string[];
  /** Frames whose matte came from the cache or repeated an identical frame, without a model run. */
  reusedMattes: number;
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
 * Three stages overlap through bounded queues: decoding (ffmpeg), inference (onnxruntime's threads, on the host) and
 * refinement + composing (the engine's kernel worker), then encoding (ffmpeg). A frame's matte comes from the cache
 * (`mattes`) when it holds one, is reused when the frame repeats the one the model last saw, and is run otherwise.
 * The first model run goes through the whole tier chain; later frames use the same model (uniform results). Each
 * written file is verified: alpha must survive. A target that fails is reported while the others go on; a cancel
 * rejects and leaves no files, and the mattes already cached stay valid.
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
  const mattes = new FrameMattes(engine, await engine.models.pickTiers(options.settings.modelId), options.mattes, signal);

  let previous: ClipFrameState | undefined;
  let flickerSum = 0;
  const flaggedFrames: FlaggedFrame[] = [];
  let written = 0;
  try {
    const decoded = decodeFrames(options.input, { signal, info, maxFrames: frameCount });
    const matted = prefetch(mapAsync(prefetch(decoded, 2), (frame) => mattes.matte(frame)), 1);
    for await (const frame of matted) {
      throwIfCancelled(signal, 'Exporting the clip');
      if (!writers.hasLiveTargets) break; // every export failed: no point matting further
      const refined = await timeStage(timings, 'refine', () =>
        engine.kernels.run(
          {
            image: frame.image,
            matte: frame.tiered.matte,
            settings: options.settings.refinement,
            output: 'straight',
            layouts: writers.layouts(background),
            background: background.kind === 'image' ? background.image : undefined,
            maskEdit: options.maskEditFor?.(frame.index),
            clip: { stabilize: options.stabilize !== false, previous },
          },
          signal,
        ),
      );
      await timeStage(timings, 'encode', () => writers.write(refined.layers!, background));
      const { state, flicker } = refined.clip!;
      if (previous && flicker !== undefined) {
        flickerSum += flicker;
        const reason = detectAbruptChange(previous.summary, state.summary);
        if (reason) flaggedFrames.push({ frameIndex: frame.index, reason });
      }
      options.onFrameAlpha?.(frame.index, state.finalAlpha);
      previous = state;
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
  const tier: Pick<TieredMatte, 'tier' | 'model' | 'ep' | 'fallbackReasons' | 'providerNotes'> = mattes.first ?? { tier: 3, model: 'classical', ep: 'js', fallbackReasons: [] };
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
    fallbackReasons: tier.fallbackReasons,
    ...(tier.providerNotes ? { providerNotes: tier.providerNotes } : {}),
    reusedMattes: mattes.reused,
    inferenceMs: mattes.timings.inference ?? mattes.timings.classical ?? 0,
    wallMs: performance.now() - started,
    timings: { ...timings, ...mattes.timings },
  };
}
