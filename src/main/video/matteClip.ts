import { basename } from 'node:path';
import { toGray } from '../../core/filters/toGray';
import type { AlphaMatte, FloatImage, Image8 } from '../../core/imageTypes';
import { assessMatte } from '../../core/matting/assessMatte';
import { compositeOver } from '../../core/matting/compositeOver';
import { detectAbruptChange, type MatteSummary } from '../../core/matting/detectAbruptChange';
import type { MaskEdit } from '../../core/matting/maskEdit';
import { composeRgba } from '../../core/matting/premultiply';
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
import { hasAlpha, type ClipFormat } from './clipFormats';
import { openClipWriter } from './clipWriter';
import { loadBackground } from './loadBackground';
import { mapAsync, prefetch } from './prefetch';

/** Options for {@link matteClip}. */
export interface MatteClipOptions extends JobControl {
  input: string;
  /** Output file, or folder for `png`. */
  output: string;
  format: ClipFormat;
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

/** A frame whose matte changed abruptly, for the studio's review list. */
export interface FlaggedFrame {
  frameIndex: number;
  reason: string;
}

/** What one clip produced. */
export interface ClipOutcome {
  input: string;
  output: string;
  format: ClipFormat;
  frames: number;
  fps: Rational;
  audio: boolean;
  /** True when the written file was decoded back and its alpha checked (`null` for formats without alpha). */
  alphaVerified: boolean | null;
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

interface MattedFrame {
  index: number;
  image: Image8;
  tiered: TieredMatte;
}

/**
 * Mattes a clip frame by frame and writes it in one export format, keeping its audio, exact fps and frame count.
 * Decoding (ffmpeg), inference (onnxruntime's threads), refinement (JS) and encoding (ffmpeg) overlap through bounded
 * queues. The first frame runs the full tier chain; later frames use the same model (uniform results), falling back
 * to the classical tier for a frame only if the model errors. The written file is verified: alpha must survive.
 */
export async function matteClip(engine: Engine, options: MatteClipOptions): Promise<ClipOutcome> {
  const started = performance.now();
  const { signal } = options;
  const report = throttleProgress(options.onProgress);
  const timings: StageTimings = {};
  const info = await probeMedia(options.input, { signal });
  const frameCount = Math.min(info.frameCount, options.maxFrames ?? Infinity);
  const { displayWidth: width, displayHeight: height } = info;
  const background = await loadBackground(options.background, width, height);
  const writer = await openClipWriter({ ...options, info, frameCount, background, signal });
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
      const outputFrame = await timeStage(timings, 'compose', () =>
        options.format === 'matte'
          ? toGrayMatte(refined.alpha)
          : background.kind === 'image' && options.format === 'mp4'
            ? compositeOver(refined.foreground, refined.alpha, background.image)
            : composeRgba(refined.foreground, refined.alpha, { premultiplied: false }),
      );
      await timeStage(timings, 'encode', () => writer.write(outputFrame));
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
    await timeStage(timings, 'finish', () => writer.finish());
  } catch (error) {
    await writer.abort();
    throw error;
  }
  report({ stage: 'verifying', fraction: frameCount / (frameCount + 1) });
  const verification = await timeStage(timings, 'verify', () => writer.verify(signal));
  report({ stage: 'done', fraction: 1 });
  const tier = firstTier!;
  return {
    input: options.input,
    output: writer.output,
    format: options.format,
    frames: written,
    fps: info.fps,
    audio: writer.hasAudio,
    alphaVerified: hasAlpha(options.format) ? verification : null,
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

function toGrayMatte(alpha: AlphaMatte): Image8 {
  const data = new Uint8Array(alpha.width * alpha.height);
  for (let index = 0; index < data.length; index++) data[index] = Math.round(Math.min(1, Math.max(0, alpha.data[index]!)) * 255);
  return { width: alpha.width, height: alpha.height, channels: 1, data };
}
