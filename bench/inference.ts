// `npm run bench -- inference`: what each inference variant gives on this CPU, in one table against the
// fp16 / 1024² / default-options baseline measured in the same run. Each variant runs in its own child process (so
// peak RSS is its own and sessions do not share an arena), and the variant list is walked BENCH_PASSES times so a
// load change on a shared machine spreads over every variant. Quality: SAD / MSE of the raw model matte (resized to
// the picture with a linear filter, no refinement) against the ground-truth alpha fixtures, and flicker on a clip
// (BENCH_QUALITY=0 skips them; BENCH_VARIANTS=<pattern> narrows the variants; BENCH_PASSES, BENCH_RUNS, BENCH_FRAMES).
// Prints tables; asserts nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { toGray } from '../src/core/filters/toGray';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { measureFlicker } from '../src/core/metrics/flicker';
import { meanSquaredError } from '../src/core/metrics/meanSquaredError';
import { sumAbsoluteDifference } from '../src/core/metrics/sumAbsoluteDifference';
import { prepareModelInput } from '../src/main/inference/modelInput';
import { decodeFrames } from '../src/main/media/decodeFrames';
import { benchDir, fixturesDir, median, printTable, projectRoot } from './benchUtils';
import { rewriteOnnxModel } from '../scripts/onnxRewrite.mjs';

const modelsDir = process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR ?? join(projectRoot, 'resources', 'models');
const isnet = { kind: 'affine', scale: 1 / 256, offset: -0.5 } as const;

/** One measured configuration. `quality` variants also score the matte (option-only variants give the same matte). */
interface Variant {
  label: string;
  model: string;
  side: number;
  threads: number;
  options?: Partial<ort.InferenceSession.SessionOptions>;
  /** Runs ffmpeg decoding + ProRes-encoding a clip at real-time pace on one thread beside inference, as a clip export does. */
  withLoad?: boolean;
  quality?: boolean;
}

interface ChildReport { openMs: number; times: number[]; cpuTimes: number[]; maxRssMB: number; sad?: number; mse?: number; flicker?: number }

const baseOptions: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  interOpNumThreads: 1,
  executionMode: 'sequential',
  enableMemPattern: false,
  enableCpuMemArena: true,
  logSeverityLevel: 3,
};

function variants(staticFp32: string, unprunedFp32: string, savedGraph: string): Variant[] {
  const fp32 = join(modelsDir, 'isnet-fp32.onnx');
  return [
    { label: 'fp16 1024² (baseline, default options)', model: join(modelsDir, 'isnet-fp16.onnx'), side: 1024, threads: 2, quality: true },
    { label: 'quint8 1024²', model: join(modelsDir, 'isnet-quint8.onnx'), side: 1024, threads: 2, quality: true },
    { label: 'fp32 pre-cast, static 1024²', model: staticFp32, side: 1024, threads: 2 },
    { label: 'fp32 pre-cast, symbolic H/W, 1024² (isnet-fp32)', model: fp32, side: 1024, threads: 2, quality: true },
    // isnet-fp32 as derived before its Resizes became a constant 2× and its side outputs were pruned.
    { label: 'fp32 1024², Resize sizes from shapes, side outputs kept', model: unprunedFp32, side: 1024, threads: 2 },
    // What every CPU session after a model's first opens (`optimizedGraphCache.ts`): compare its open ms with the row above.
    { label: 'fp32 1024², its saved optimised graph, optimisation off', model: savedGraph, side: 1024, threads: 2, options: { graphOptimizationLevel: 'disabled' } },
    { label: 'fp32 1024², graph optimisation "extended"', model: fp32, side: 1024, threads: 2, options: { graphOptimizationLevel: 'extended' } },
    { label: 'fp32 1024², parallel execution, 2 inter-op', model: fp32, side: 1024, threads: 2, options: { executionMode: 'parallel', interOpNumThreads: 2 } },
    { label: 'fp32 1024², memory pattern on', model: fp32, side: 1024, threads: 2, options: { enableMemPattern: true } },
    { label: 'fp32 1024², CPU arena off', model: fp32, side: 1024, threads: 2, options: { enableCpuMemArena: false } },
    { label: 'fp32 1024², 1 intra-op thread', model: fp32, side: 1024, threads: 1 },
    { label: 'fp32 1024², 2 threads beside ffmpeg (1× real time)', model: fp32, side: 1024, threads: 2, withLoad: true },
    { label: 'fp32 1024², 1 thread beside ffmpeg (1× real time)', model: fp32, side: 1024, threads: 1, withLoad: true },
    { label: 'fp32 1024², 2 threads, no spinning, beside ffmpeg', model: fp32, side: 1024, threads: 2, withLoad: true, options: { extra: { session: { intra_op: { allow_spinning: '0' } } } } },
    { label: 'fp32 1024², 2 threads, no spinning', model: fp32, side: 1024, threads: 2, options: { extra: { session: { intra_op: { allow_spinning: '0' } } } } },
    { label: 'fp32 768² (draft candidate)', model: fp32, side: 768, threads: 2, quality: true },
    { label: 'fp32 512² (draft)', model: fp32, side: 512, threads: 2, quality: true },
  ];
}

export async function runInferenceBench(): Promise<void> {
  if (!existsSync(join(modelsDir, 'isnet-fp32.onnx'))) {
    process.stdout.write(`The bundled models are not provisioned in ${modelsDir}; run npm run provision-models first.\n`);
    return;
  }
  const passes = Number(process.env.BENCH_PASSES ?? 2);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const work = mkdtempSync(join(tmpdir(), 'bench-inference-'));
  try {
    // The static-shape fp32 file exists only here, to show what the symbolic input size costs (nothing expected), and
    // the earlier derivation (Resize sizes computed from shapes at run time, side outputs kept) to show what the
    // constant Resize factor and the pruning give.
    const fp16Bytes = readFileSync(join(modelsDir, 'isnet-fp16.onnx'));
    const staticFp32 = join(work, 'isnet-fp32-static.onnx');
    writeFileSync(staticFp32, rewriteOnnxModel(fp16Bytes, { toFloat32: true, keepOutputs: ['output'] }).bytes);
    const unprunedFp32 = join(work, 'isnet-fp32-unpruned.onnx');
    writeFileSync(unprunedFp32, rewriteOnnxModel(fp16Bytes, { toFloat32: true, symbolicInputSize: true }).bytes);
    // The graph onnxruntime saves after optimising isnet-fp32 for this CPU, as the product's sessions save it.
    const savedGraph = join(work, 'isnet-fp32-optimized.onnx');
    await (await ort.InferenceSession.create(join(modelsDir, 'isnet-fp32.onnx'), { ...baseOptions, intraOpNumThreads: 2, optimizedModelFilePath: savedGraph })).release();
    // BENCH_VARIANTS narrows the list by a pattern on the label; the baseline is always kept.
    const pattern = process.env.BENCH_VARIANTS ? new RegExp(process.env.BENCH_VARIANTS, 'i') : undefined;
    const list = variants(staticFp32, unprunedFp32, savedGraph).filter((variant, index) => index === 0 || !pattern || pattern.test(variant.label));
    const reports = list.map(() => ({ times: [] as number[], cpuTimes: [] as number[], openMs: [] as number[], maxRssMB: 0 } as { times: number[]; cpuTimes: number[]; openMs: number[]; maxRssMB: number; sad?: number; mse?: number; flicker?: number }));
    for (let pass = 0; pass < passes; pass++) {
      for (const [index, variant] of list.entries()) {
        process.stderr.write(`pass ${pass + 1}/${passes}: ${variant.label}\n`);
        const report = runChild({ ...variant, quality: pass === 0 && variant.quality === true && process.env.BENCH_QUALITY !== '0' }, runs);
        const target = reports[index]!;
        target.times.push(...report.times);
        target.cpuTimes.push(...report.cpuTimes);
        target.openMs.push(report.openMs);
        target.maxRssMB = Math.max(target.maxRssMB, report.maxRssMB);
        if (report.sad !== undefined) Object.assign(target, { sad: report.sad, mse: report.mse, flicker: report.flicker });
      }
    }
    const baseline = median(reports[0]!.times);
    const baselineCpu = median(reports[0]!.cpuTimes);
    const cpu = spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).stdout.trim();
    printTable(
      `IS-Net inference on CPU (${cpu}; ${passes} passes × ${runs} runs per variant; ratio = baseline / variant, on median wall ms and on median process CPU ms (less sensitive to other load on a shared machine); SAD /1000 and MSE ×1000 averaged over 6 ground-truth images; mean flicker over ${process.env.BENCH_FRAMES ?? 12} frames of ${clipName()})`,
      ['variant', 'median ms', 'min ms', 'ratio', 'CPU ms', 'CPU ratio', 'open ms', 'peak RSS MB', 'SAD', 'MSE', 'flicker'],
      list.map((variant, index) => {
        const report = reports[index]!;
        const ms = median(report.times);
        const cpuMs = median(report.cpuTimes);
        return [variant.label, ms, Math.min(...report.times), `${(baseline / ms).toFixed(2)}×`, cpuMs, `${(baselineCpu / cpuMs).toFixed(2)}×`, median(report.openMs), report.maxRssMB, report.sad ?? '', report.mse ?? '', report.flicker ?? ''];
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runChild(variant: Variant, runs: number): ChildReport {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, 'inference.ts'), '--child', JSON.stringify({ variant, runs })], {
    cwd: projectRoot,
    maxBuffer: 1 << 26,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${variant.label} failed:\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ChildReport;
}

const clipPath = () => process.env.BENCH_CLIP ?? join(fixturesDir, 'clips', 'lp_d12_room.mp4');
const clipName = () => clipPath().split('/').pop();

async function childMain(variant: Variant, runs: number): Promise<void> {
  const openStart = performance.now();
  const session = await ort.InferenceSession.create(variant.model, { ...baseOptions, intraOpNumThreads: variant.threads, ...variant.options });
  const openMs = performance.now() - openStart;
  const matteAt = async (image: Image8): Promise<Float32Array> => {
    const tensor = await prepareModelInput(image, variant.side, variant.side, isnet);
    const results = await session.run({ input: new ort.Tensor('float32', tensor, [1, 3, variant.side, variant.side]) }, ['output']);
    return results.output!.data as Float32Array;
  };
  const portrait = await loadRgb(join(fixturesDir, 'portraits', 'u2_man5_curly_16x9.jpg'));
  await matteAt(portrait);
  let load: ChildProcess | undefined;
  if (variant.withLoad) {
    load = spawn('ffmpeg', ['-v', 'quiet', '-threads', '1', '-re', '-stream_loop', '-1', '-i', clipPath(), '-threads', '1', '-c:v', 'prores_ks', '-profile:v', '4444', '-pix_fmt', 'yuva444p10le', '-f', 'null', '-'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const times: number[] = [];
  const cpuTimes: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const tensor = await prepareModelInput(portrait, variant.side, variant.side, isnet);
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      await session.run({ input: new ort.Tensor('float32', tensor, [1, 3, variant.side, variant.side]) }, ['output']);
      const cpu = process.cpuUsage(cpuStart);
      times.push(performance.now() - start);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  } finally {
    load?.kill();
  }
  const report: ChildReport = { openMs, times, cpuTimes, maxRssMB: 0 };
  if (variant.quality) Object.assign(report, await scoreQuality(matteAt, variant.side));
  report.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function scoreQuality(matteAt: (image: Image8) => Promise<Float32Array>, side: number): Promise<{ sad: number; mse: number; flicker: number }> {
  const items = [0, 1, 2, 3, 4].map((index) => [`gt_alpha/dim_crops/dim${index}_image.png`, `gt_alpha/dim_crops/dim${index}_alpha.png`]);
  items.push(['gt_alpha/mmagic_GT05/GT05_merged.jpg', 'gt_alpha/mmagic_GT05/GT05_alpha.jpg']);
  let sad = 0;
  let mse = 0;
  for (const [imagePath, alphaPath] of items) {
    const image = await loadRgb(join(fixturesDir, imagePath!));
    const truth = await loadGray(join(fixturesDir, alphaPath!), image.width, image.height);
    const alpha = await resizeMatte(await matteAt(image), side, image.width, image.height);
    sad += sumAbsoluteDifference(alpha, truth) / items.length;
    mse += (meanSquaredError(alpha, truth) * 1000) / items.length;
  }
  const frameCount = Number(process.env.BENCH_FRAMES ?? 12);
  let previous: { alpha: AlphaMatte; gray: FloatImage } | undefined;
  let flicker = 0;
  for await (const frame of decodeFrames(clipPath(), { maxFrames: frameCount })) {
    const image: Image8 = { ...frame.image, data: frame.image.data.slice() };
    const alpha = await resizeMatte(await matteAt(image), side, image.width, image.height);
    const gray = toGray(image);
    if (previous) flicker += measureFlicker(previous.alpha, alpha, previous.gray, gray) / (frameCount - 1);
    previous = { alpha, gray };
  }
  return { sad, mse, flicker };
}

async function loadRgb(path: string): Promise<Image8> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

async function loadGray(path: string, width: number, height: number): Promise<AlphaMatte> {
  const { data } = await sharp(path).extractChannel(0).resize(width, height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { width, height, channels: 1, data: Float32Array.from(data, (value) => value / 255) };
}

/** The model-resolution matte resized to the picture (linear), as 0–1 floats. */
async function resizeMatte(matte: Float32Array, side: number, width: number, height: number): Promise<AlphaMatte> {
  const bytes = Uint8Array.from(matte, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
  const resized = await sharp(bytes, { raw: { width: side, height: side, channels: 1 } }).resize(width, height, { fit: 'fill', kernel: 'linear' }).extractChannel(0).raw().toBuffer();
  return { width, height, channels: 1, data: Float32Array.from(resized, (value) => value / 255) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--child') {
  const { variant, runs } = JSON.parse(process.argv[3]!) as { variant: Variant; runs: number };
  await childMain(variant, runs);
}
