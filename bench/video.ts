// `npm run bench -- video`: the clip pipeline's throughput against its own inference time, flicker and lag of the
// temporal stabilisation against per-frame matting, and export speed per format. Prints tables; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toGray } from '../src/core/filters/toGray';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { measureFlicker } from '../src/core/metrics/flicker';
import { createEngine } from '../src/main/engine';
import { decodeFrames } from '../src/main/media/decodeFrames';
import { openVideoEncoder, type VideoFormat } from '../src/main/media/encodeVideo';
import { probeMedia } from '../src/main/media/probeMedia';
import { openPngSequenceWriter } from '../src/main/media/writePngSequence';
import type { TieredMatte } from '../src/main/pipeline/computeMatte';
import { matteClip, type ClipOutcome } from '../src/main/pipeline/clips/matteClip';
import { defaultStillSettings } from '../src/shared/settings';
import { fixturesDir, printTable } from './benchUtils';

const clipPath = process.env.BENCH_CLIP ?? join(fixturesDir, 'clips', 'lp_d19_plainwall.mp4');
const frameLimit = Number(process.env.BENCH_FRAMES ?? 40);

export async function runVideoBench(): Promise<void> {
  const engine = createEngine({ session: { threads: Number(process.env.BENCH_THREADS ?? 2) } });
  const work = mkdtempSync(join(tmpdir(), 'bench-video-'));
  const settings = defaultStillSettings();
  const run = async (stabilize: boolean) => {
    const alphas: AlphaMatte[] = [];
    const outcome = await matteClip(engine, {
      input: clipPath,
      output: join(work, `run-${stabilize}.mov`),
      format: 'prores',
      settings,
      stabilize,
      maxFrames: frameLimit,
      onFrameAlpha: (_, alpha) => alphas.push({ ...alpha, data: alpha.data.slice() }),
    });
    return { outcome, alphas };
  };
  // Warm the session outside the measured runs.
  await matteClip(engine, { input: clipPath, output: join(work, 'warm.mov'), format: 'prores-fast', settings, maxFrames: 1 });
  const stable = await run(true);
  const perFrame = await run(false);
  const grays: FloatImage[] = [];
  const frames: Image8[] = [];
  for await (const frame of decodeFrames(clipPath, { maxFrames: frameLimit })) {
    frames.push({ ...frame.image, data: frame.image.data.slice() });
    grays.push(toGray(frame.image));
  }

  const pipelineRow = (label: string, outcome: ClipOutcome) => [label, outcome.frames, outcome.inferenceMs, outcome.wallMs, outcome.wallMs / outcome.inferenceMs, (outcome.frames / outcome.wallMs) * 1000];
  printTable(`Clip pipeline on ${clipPath.split('/').pop()} (${frameLimit} frames, ${stable.outcome.model}, ${stable.outcome.ep}, ProRes 4444 out)`, ['run', 'frames', 'Σ inference ms', 'wall ms', 'wall / Σ inference', 'fps'], [
    pipelineRow('stabilised', stable.outcome),
    pipelineRow('per-frame', perFrame.outcome),
  ]);

  // The studio's case: the background pass cached every matte; a spill change re-exports without the model.
  const store = new Map<number, TieredMatte>();
  const mattes = { get: async (index: number) => store.get(index), set: async (index: number, tiered: TieredMatte) => void store.set(index, tiered) };
  const cachedRun = async (spill: number) => {
    const spilled = defaultStillSettings();
    spilled.refinement.spillStrength = spill;
    return matteClip(engine, { input: clipPath, output: join(work, `cached-${spill}.mov`), format: 'prores', settings: spilled, maxFrames: frameLimit, mattes });
  };
  const filling = await cachedRun(0.2);
  const reexport = await cachedRun(0.8);
  printTable('Re-export after a spill change, mattes cached (as after the studio’s background pass)', ['run', 'frames', 'mattes reused', 'Σ inference ms', 'wall ms', 'ratio to first'], [
    ['first export (fills the cache)', filling.frames, filling.reusedMattes, filling.inferenceMs, filling.wallMs, 1],
    ['spill 0.2 → 0.8, re-export', reexport.frames, reexport.reusedMattes, reexport.inferenceMs, reexport.wallMs, reexport.wallMs / filling.wallMs],
  ]);

  const flickerOf = (alphas: AlphaMatte[]) => {
    let sum = 0;
    for (let index = 1; index < alphas.length; index++) sum += measureFlicker(alphas[index - 1]!, alphas[index]!, grays[index - 1]!, grays[index]!);
    return sum / Math.max(1, alphas.length - 1);
  };
  const perFrameFlicker = flickerOf(perFrame.alphas);
  const stableFlicker = flickerOf(stable.alphas);
  const lag = movingEdgeLag(stable.alphas, perFrame.alphas, grays);
  printTable('Temporal stability (flicker = mean |α_t − α_t−1| over still pixels; lag = mean |α_stable − α_per-frame| on moving edges)', ['measure', 'per-frame', 'stabilised', 'ratio', 'target'], [
    ['flicker', perFrameFlicker, stableFlicker, stableFlicker / perFrameFlicker, '≤ 0.5×'],
    ['lag on moving edges (0–1 alpha)', 0, lag.meanError, '', 'no visible lag (≤ 0.02)'],
    ['moving-edge pixels per frame', lag.pixelsPerFrame, lag.pixelsPerFrame, '', ''],
  ]);

  const info = await probeMedia(clipPath);
  const rgbaFrames = frames.map((frame, index) => withAlpha(frame, stable.alphas[index]!));
  const formatRows: Array<Array<string | number>> = [];
  for (const format of ['prores', 'prores-fast', 'webm', 'webm-fast', 'matte', 'mp4', 'png-sequence'] as const) {
    const start = performance.now();
    if (format === 'png-sequence') {
      const writer = await openPngSequenceWriter({ folder: join(work, 'sequence'), width: info.displayWidth, height: info.displayHeight, frameCount: rgbaFrames.length, fps: info.fps });
      for (const frame of rgbaFrames) await writer.write(frame);
      await writer.finish();
    } else {
      const encoder = await openVideoEncoder({
        output: join(work, `export.${format}${format.startsWith('webm') ? '.webm' : '.mov'}`),
        format: format as VideoFormat,
        width: info.displayWidth,
        height: info.displayHeight,
        fps: info.fps,
        audioSource: info.audio.length > 0 ? clipPath : undefined,
        frameCount: rgbaFrames.length,
        inputChannels: format === 'matte' ? 1 : 4,
      });
      for (const [index, frame] of rgbaFrames.entries()) await encoder.write(format === 'matte' ? toGrayBytes(stable.alphas[index]!) : frame);
      await encoder.finish();
    }
    const ms = performance.now() - start;
    formatRows.push([format, rgbaFrames.length, ms, (rgbaFrames.length / ms) * 1000]);
  }
  printTable(`Export speed per format (${info.displayWidth}×${info.displayHeight}, encode only)`, ['format', 'frames', 'ms', 'fps'], formatRows);
  await engine.dispose();
  rmSync(work, { recursive: true, force: true });
}

function movingEdgeLag(stable: AlphaMatte[], perFrame: AlphaMatte[], grays: FloatImage[]) {
  let errorSum = 0;
  let count = 0;
  for (let index = 1; index < stable.length; index++) {
    const reference = perFrame[index]!.data;
    const current = grays[index]!.data;
    const previous = grays[index - 1]!.data;
    for (let pixel = 0; pixel < reference.length; pixel++) {
      const isEdge = reference[pixel]! > 0.05 && reference[pixel]! < 0.95;
      if (isEdge && Math.abs(current[pixel]! - previous[pixel]!) >= 0.04) {
        errorSum += Math.abs(stable[index]!.data[pixel]! - reference[pixel]!);
        count++;
      }
    }
  }
  return { meanError: count ? errorSum / count : 0, pixelsPerFrame: count / Math.max(1, stable.length - 1) };
}

function withAlpha(frame: Image8, alpha: AlphaMatte): Image8 {
  const data = new Uint8Array(frame.width * frame.height * 4);
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    data.set(frame.data.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    data[pixel * 4 + 3] = Math.round(alpha.data[pixel]! * 255);
  }
  return { width: frame.width, height: frame.height, channels: 4, data };
}

function toGrayBytes(alpha: AlphaMatte): Image8 {
  return { width: alpha.width, height: alpha.height, channels: 1, data: Uint8Array.from(alpha.data, (value) => Math.round(value * 255)) };
}
