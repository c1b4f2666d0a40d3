// `npm run bench -- gpu`: on a machine with an NVIDIA GPU, tries each GPU execution provider (CUDA, WebGPU) on the
// bundled IS-Net, prints which ones ran, fps at 1024², and how far each matte is from the CPU matte. Also shows which
// provider the engine's own order (executionProviders.ts) ends up with. Without a GPU it says so and exits 0.
// Prints tables; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Image8 } from '../src/core/imageTypes';
import { defaultProviderOrder, hasCudaProviderLibraries, type ExecutionProviderId } from '../src/main/inference/executionProviders';
import { MattingSession, resetFailedProviders } from '../src/main/inference/mattingSession';
import { prepareModelInput } from '../src/main/inference/modelInput';
import { fixturesDir, median, printTable, projectRoot } from './benchUtils';

const modelsDir = process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR ?? join(projectRoot, 'resources', 'models');
const side = 1024;
const runs = Number(process.env.BENCH_RUNS ?? 10);
/** Mattes within this of the CPU matte (max |Δ| over pixels, 0–1 scale) count as equal. */
const tolerance = Number(process.env.BENCH_GPU_TOLERANCE ?? 0.02);
const isnet = { kind: 'affine', scale: 1 / 256, offset: -0.5 } as const;

export async function runGpuBench(): Promise<void> {
  const gpu = describeNvidiaGpu();
  if (!gpu) {
    process.stdout.write('No NVIDIA GPU on this machine (no /dev/nvidia0 and no working nvidia-smi): nothing to measure. Run `npm run bench -- gpu` on a machine with one.\n');
    return;
  }
  const models = ['isnet-fp32', 'isnet-fp16'].filter((id) => existsSync(join(modelsDir, `${id}.onnx`)));
  if (models.length === 0) {
    process.stdout.write(`The bundled models are not provisioned in ${modelsDir}; run npm run provision-models first.\n`);
    return;
  }
  process.stdout.write(`GPU: ${gpu}\nCUDA provider libraries installed: ${hasCudaProviderLibraries() ? 'yes' : 'no (onnxruntime-node skipped its CUDA download at install)'}\n`);
  const tensor = await portraitTensor();
  const rows: Array<Array<string | number>> = [];
  for (const id of models) {
    const path = join(modelsDir, `${id}.onnx`);
    const cpu = await measure(path, 'cpu', tensor, 3);
    if (!cpu.matte) throw new Error(`the CPU provider could not run ${id}: ${cpu.error}`);
    rows.push([id, 'cpu', 'ran', cpu.fps ?? NaN, '', '', 'reference']);
    for (const provider of ['cuda', 'webgpu'] as const) {
      const result = await measure(path, provider, tensor, runs);
      if (!result.matte) {
        rows.push([id, provider, `failed: ${result.error}`, '', '', '', '']);
        continue;
      }
      const { maximum, mean } = differences(cpu.matte, result.matte);
      rows.push([id, provider, 'ran', result.fps ?? NaN, maximum, mean, maximum <= tolerance ? 'yes' : 'NO']);
    }
  }
  printTable(`GPU execution providers on IS-Net at ${side}² (fps = 1000 / median ms over ${runs} runs after 2 warm-up runs; Δ against the CPU matte, equal when max |Δ| ≤ ${tolerance})`, ['model', 'provider', 'status', 'fps', 'max |Δ|', 'mean |Δ|', 'equals CPU'], rows);

  // What the engine itself picks with its provider order on this machine.
  resetFailedProviders();
  const order = defaultProviderOrder();
  const spec = { id: models[0]!, path: join(modelsDir, `${models[0]}.onnx`), input: { name: 'input', width: side, height: side }, normalization: isnet, output: { name: 'output', needsSigmoid: false } };
  const session = await MattingSession.open(spec, {});
  try {
    await session.runTensor(tensor);
    process.stdout.write(`\nEngine order on this machine: ${order.join(' → ')}; it ran ${models[0]} on: ${session.provider}\n`);
  } finally {
    await session.dispose();
  }
}

/** The GPU's name and driver from nvidia-smi, or undefined when there is no NVIDIA GPU. */
function describeNvidiaGpu(): string | undefined {
  const hasDevice = existsSync('/dev') && readdirSync('/dev').some((name) => /^nvidia\d+$/.test(name));
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { encoding: 'utf8' });
  if (smi.status === 0 && smi.stdout.trim()) return smi.stdout.trim().split('\n').join('; ');
  return hasDevice ? 'NVIDIA device present (nvidia-smi unavailable)' : undefined;
}

async function portraitTensor(): Promise<Float32Array> {
  const path = join(fixturesDir, 'portraits', 'u2_man5_curly_16x9.jpg');
  if (!existsSync(path)) return Float32Array.from({ length: 3 * side * side }, (_, index) => Math.sin(index / 997) * 0.4);
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image: Image8 = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
  return prepareModelInput(image, side, side, isnet);
}

async function measure(path: string, provider: ExecutionProviderId, tensor: Float32Array, timedRuns: number): Promise<{ fps?: number; matte?: Float32Array; error?: string }> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
  } catch (error) {
    return { error: String((error as Error).message ?? error).split('\n')[0]!.slice(0, 160) };
  }
  try {
    const feeds = { input: new ort.Tensor('float32', tensor, [1, 3, side, side]) };
    let matte: Float32Array | undefined;
    for (let run = 0; run < 2; run++) matte = (await session.run(feeds, ['output'])).output!.data as Float32Array;
    const times: number[] = [];
    for (let run = 0; run < timedRuns; run++) {
      const start = performance.now();
      matte = (await session.run(feeds, ['output'])).output!.data as Float32Array;
      times.push(performance.now() - start);
    }
    return { fps: 1000 / median(times), matte: Float32Array.from(matte!) };
  } catch (error) {
    return { error: `run failed: ${String((error as Error).message ?? error).split('\n')[0]!.slice(0, 160)}` };
  } finally {
    await session.release();
  }
}

function differences(first: Float32Array, second: Float32Array): { maximum: number; mean: number } {
  let maximum = 0;
  let sum = 0;
  for (let index = 0; index < first.length; index++) {
    const difference = Math.abs(first[index]! - second[index]!);
    if (difference > maximum) maximum = difference;
    sum += difference;
  }
  return { maximum, mean: sum / first.length };
}
