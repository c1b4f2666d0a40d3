import { packPlanar } from './modelTensor';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../shared/errors';
import { verifyModelFile } from '../models/verifyModelFile';
import { defaultProviderOrder, type ExecutionProviderId } from './executionProviders';
import { inputSizeFor, type InferenceQuality, type InputSize } from './inferenceQuality';
import type { InstalledModel, ModelSource, Normalization } from '../../shared/modelTypes';
import { readEnvironment } from '../environment';
import { openCpuSession, type GraphSource } from './optimizedGraphCache';

/** What the engine needs to know to run a matting model. */
export interface RunnableModel {
  id: string;
  /** Absolute path of the `.onnx` file. */
  path: string;
  input: { name?: string; width: number; height: number };
  normalization: Normalization;
  /** Which output is the matte, and whether it still needs a sigmoid. */
  output: { name?: string; needsSigmoid: boolean };
  /** sha256 recorded at install time: the file is checked against it before it is opened. */
  sha256?: string;
  /** Where the file came from (decides the repair advice when it is damaged). */
  source?: ModelSource;
}

/** The runnable part of an installed model. */
export function toRunnableModel(model: InstalledModel): RunnableModel {
  const { id, input, normalization, output } = model.spec;
  return { id, path: model.path, input, normalization, output, ...(model.sha256 ? { sha256: model.sha256, source: model.source } : {}) };
}

/** Options for opening a session. */
export interface MattingSessionOptions {
  /** Providers to try in order; @default the platform order ({@link defaultProviderOrder}). */
  providers?: ExecutionProviderId[];
  /** Threads for one inference; @default the number of CPU cores, capped at 8. */
  threads?: number;
  /**
   * Turns onnxruntime's CPU memory arena off: measured on IS-Net fp16 here, peak RSS 1.36 → 1.17 GB for about 18%
   * slower inference; on the fp32 file it is about 4× slower for 1.08 → 1.06 GB (`npm run bench -- inference`), so it
   * stays opt-in. @default `MATTE_STUDIO_LOW_MEMORY=1`
   */
  lowMemory?: boolean;
  /** Where verified model digests are remembered between runs; @default `<user model folder>/.verified-sha256.json` */
  verifiedHashesFile?: string;
  /**
   * Where CPU sessions save their optimised graphs to open faster next time (`optimizedGraphCache.ts`); `null` turns
   * saving and reuse off. @default `<user cache folder>/optimized-graphs`
   */
  optimizedGraphsDir?: string | null;
}

/**
 * Providers that failed to create a session or to run in this process, with why: skipped afterwards instead of failing
 * again, and the reason still reported for each session that runs on a later provider.
 */
const failedProviders = new Map<ExecutionProviderId, string>();

/**
 * One onnxruntime-node session for one model on one execution provider.
 * Memory options were chosen by measurement: fetching only the matte output and `enableMemPattern: false` cut peak
 * memory for IS-Net from about 2.2 GB to 1.4 GB at the same speed. Re-measured on the fp32 file (`npm run bench --
 * inference`, 2 cores): memory pattern on is 3% slower for +460 MB; graph optimisation `extended` instead of `all` is
 * 27% slower; parallel execution with 2 inter-op threads is 2× slower; 2 intra-op threads are 1.9× faster than 1.
 */
interface OpenedSession {
  session: ort.InferenceSession;
  provider: ExecutionProviderId;
  /** Whether a CPU session opened the saved optimised graph or the model. */
  graphSource: GraphSource;
  model: RunnableModel;
  inputName: string;
  outputName: string;
  /** True when the graph's input height and width are symbolic (it runs at any size). */
  isSizeSymbolic: boolean;
}

export class MattingSession {
  private constructor(
    private opened: OpenedSession,
    /** Providers after the current one, for falling back when a run fails. */
    private remainingProviders: ExecutionProviderId[],
    private readonly threads: number,
    private readonly lowMemory: boolean,
    private readonly fallbacks: string[],
    private readonly graphsDir: string | undefined,
  ) {}

  /**
   * Why the session runs on a later provider than the first one asked for, one plain line per provider passed over,
   * e.g. `cuda could not start (Failed to load shared library …); running on cpu`. Empty when the first one runs it.
   */
  get providerFallbackReasons(): readonly string[] {
    return this.fallbacks;
  }

  /** The model as the open graph sees it (input size from the graph's static shape). */
  get model(): RunnableModel {
    return this.opened.model;
  }

  /** The execution provider that runs this session now. */
  get provider(): ExecutionProviderId {
    return this.opened.provider;
  }

  /** Whether the session opened its model's saved optimised graph (CPU) or the model file. */
  get graphSource(): GraphSource {
    return this.opened.graphSource;
  }

  /**
   * The input size to prepare tensors at for a quality: the model's native size, or a smaller one for `draft` when
   * the graph's input size is symbolic. One session serves every size, so `draft` costs no second session.
   */
  inputSize(quality: InferenceQuality = 'full'): InputSize {
    return inputSizeFor(this.model.input, this.opened.isSizeSymbolic, quality);
  }

  /**
   * Opens a session on the first provider that can create one. A model with a recorded sha256 is checked first:
   * a mismatch fails with `MODEL_INVALID` and a sentence saying how to repair it.
   */
  static async open(model: RunnableModel, options: MattingSessionOptions = {}): Promise<MattingSession> {
    if (model.sha256) {
      await verifyModelFile({ id: model.id, path: model.path, sha256: model.sha256, ...(model.source ? { source: model.source } : {}) }, options.verifiedHashesFile ? { cacheFile: options.verifiedHashesFile } : {});
    }
    const asked = options.providers ?? defaultProviderOrder();
    const providers = asked.filter((provider) => provider === 'cpu' || !failedProviders.has(provider));
    const threads = options.threads ?? Math.min(8, availableParallelism());
    const environment = readEnvironment();
    const lowMemory = options.lowMemory ?? environment.isLowMemory;
    const graphsDir = options.optimizedGraphsDir === null ? undefined : (options.optimizedGraphsDir ?? join(environment.cacheDir, 'optimized-graphs'));
    const { opened, remaining, reasons } = await openFirstWorking(model, providers, threads, lowMemory, graphsDir);
    const skipped = asked.filter((provider) => !providers.includes(provider)).map((provider) => `${failedProviders.get(provider)} earlier`);
    return new MattingSession(opened, remaining, threads, lowMemory, [...skipped, ...reasons].map((reason) => `${reason}; running on ${opened.provider}`), graphsDir);
  }

  /** Runs the model on an image resized to `size` (interleaved RGB bytes): packs its tensor, then {@link runTensor}. */
  run(rgb: Uint8Array, size: InputSize = this.model.input): Promise<{ matte: Float32Array; width: number; height: number }> {
    const pixelCount = size.width * size.height;
    if (rgb.length !== 3 * pixelCount) throw new RangeError(`Expected 3 × ${size.width} × ${size.height} bytes for rgb but received ${rgb.length}`);
    return this.runTensor(packPlanar(rgb, pixelCount, this.model.normalization), size);
  }

  /**
   * Runs the model on a prepared NCHW tensor and returns the matte at model resolution, values in [0, 1].
   * Only the matte output is fetched (IS-Net has eleven outputs; fetching one saves their memory).
   * A GPU provider that fails at run time is dropped and the run is retried on the next provider.
   * `size` is the tensor's size: {@link inputSize} for the quality it was prepared at (@default the native size).
   */
  async runTensor(tensor: Float32Array, size: InputSize = this.model.input): Promise<{ matte: Float32Array; width: number; height: number }> {
    const { width, height } = size;
    if (tensor.length !== 3 * width * height) throw new RangeError(`Expected a tensor of 3 × ${width} × ${height} values for tensor but received ${tensor.length}`);
    let results: ort.InferenceSession.ReturnType;
    for (;;) {
      const { session, inputName, outputName, provider } = this.opened;
      try {
        results = await session.run({ [inputName]: new ort.Tensor('float32', tensor, [1, 3, height, width]) }, [outputName]);
        break;
      } catch (error) {
        if (provider === 'cpu' || this.remainingProviders.length === 0) {
          throw new StudioError('INFERENCE_FAILED', `The model ${this.model.id} failed while matting.`, String(error));
        }
        const reason = `${provider} failed while matting (${firstLine(error)})`;
        failedProviders.set(provider, reason);
        await session.release().catch(() => {});
        const { opened, remaining, reasons } = await openFirstWorking(this.model, this.remainingProviders, this.threads, this.lowMemory, this.graphsDir);
        this.fallbacks.push(...[reason, ...reasons].map((line) => `${line}; running on ${opened.provider}`));
        this.opened = opened;
        this.remainingProviders = remaining;
      }
    }
    const output = results[this.opened.outputName]!;
    const dims = output.dims;
    const outHeight = Number(dims[dims.length - 2]);
    const outWidth = Number(dims[dims.length - 1]);
    const raw = output.type === 'float16' ? halfToFloat(output.data as Uint16Array) : (output.data as Float32Array);
    const matte = new Float32Array(outWidth * outHeight);
    // Logits in a model described as "already through a sigmoid" (a custom export, say) show up as values outside
    // [0, 1]; squash them rather than clamping a logit map into a hard mask.
    const needsSigmoid = this.model.output.needsSigmoid || hasValuesOutsideUnitRange(raw, matte.length);
    for (let index = 0; index < matte.length; index++) {
      const value = needsSigmoid ? 1 / (1 + Math.exp(-raw[index]!)) : raw[index]!;
      matte[index] = value < 0 ? 0 : value > 1 ? 1 : value;
    }
    output.dispose?.();
    return { matte, width: outWidth, height: outHeight };
  }

  /** Frees the native session. */
  async dispose(): Promise<void> {
    await this.opened.session.release();
  }
}

/** Opens the first provider that works; `reasons` says, one plain line each, why the ones before it did not. */
async function openFirstWorking(
  model: RunnableModel,
  providers: ExecutionProviderId[],
  threads: number,
  lowMemory: boolean,
  graphsDir: string | undefined,
): Promise<{ opened: OpenedSession; remaining: ExecutionProviderId[]; reasons: string[] }> {
  const failures: string[] = [];
  const reasons: string[] = [];
  for (const [index, provider] of providers.entries()) {
    try {
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        enableMemPattern: false,
        enableCpuMemArena: !lowMemory,
        logSeverityLevel: 3,
        // Idle intra-op threads sleep instead of spinning: the same speed alone, less CPU taken from ffmpeg decoding
        // and encoding beside inference (IS-Net fp32 1024², 2 cores: 2435 → 2266 CPU ms per run at the same wall time).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      };
      const { session, source: graphSource } = provider === 'cpu' ? await openCpuSession(model, options, graphsDir) : { session: await ort.InferenceSession.create(model.path, options), source: 'model' as const };
      const inputName = model.input.name ?? session.inputNames[0];
      const outputName = model.output.name ?? session.outputNames[0];
      if (!inputName || !session.inputNames.includes(inputName) || !outputName || !session.outputNames.includes(outputName)) {
        await session.release();
        throw new StudioError('MODEL_INVALID', `The model ${model.id} does not have the expected input and output.`, `inputs ${session.inputNames} outputs ${session.outputNames}`);
      }
      const opened = { session, provider, graphSource, model: withSessionInputSize(model, session, inputName), inputName, outputName, isSizeSymbolic: hasSymbolicSize(session, inputName) };
      return { opened, remaining: providers.slice(index + 1), reasons };
    } catch (error) {
      if (error instanceof StudioError) throw error;
      failures.push(`${provider}: ${String((error as Error).message ?? error).slice(0, 300)}`);
      const reason = `${provider} could not start (${firstLine(error)})`;
      reasons.push(reason);
      if (provider !== 'cpu') failedProviders.set(provider, reason);
      else if (/protobuf|parse|invalid|load model/i.test(String(error))) {
        throw new StudioError('MODEL_INVALID', `The model file for ${model.id} is damaged or not an ONNX model.`, failures.join('\n'));
      }
    }
  }
  throw new StudioError('EP_UNAVAILABLE', `No execution provider could run the model ${model.id}.`, failures.join('\n'));
}

/** The first line of an error's message, shortened: onnxruntime's messages run to source paths and stack lines. */
function firstLine(error: unknown): string {
  const message = String((error as Error | undefined)?.message ?? error).split('\n')[0]!.trim();
  return message.length > 160 ? `${message.slice(0, 157)}…` : message;
}

/** The graph's own static input size wins over the catalogue's (which may list width and height the other way round). */
function withSessionInputSize(model: RunnableModel, session: ort.InferenceSession, inputName: string): RunnableModel {
  const metadata = session.inputMetadata.find((entry) => entry.name === inputName);
  const shape = metadata && metadata.isTensor ? metadata.shape : undefined;
  const height = shape?.[2];
  const width = shape?.[3];
  if (typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0) return { ...model, input: { ...model.input, width, height } };
  return model;
}

/** True when the input's height and width are symbolic (`dim_param`) rather than fixed numbers. */
function hasSymbolicSize(session: ort.InferenceSession, inputName: string): boolean {
  const metadata = session.inputMetadata.find((entry) => entry.name === inputName);
  const shape = metadata && metadata.isTensor ? metadata.shape : undefined;
  return shape !== undefined && shape.length === 4 && typeof shape[2] !== 'number' && typeof shape[3] !== 'number';
}

function hasValuesOutsideUnitRange(values: ArrayLike<number>, count: number): boolean {
  for (let index = 0; index < count; index++) if (values[index]! < -0.05 || values[index]! > 1.05) return true;
  return false;
}

/** IEEE 754 half-precision bits → float32 (BEN2 and some fp16 exports return float16 outputs). */
export function halfToFloat(bits: Uint16Array): Float32Array {
  const result = new Float32Array(bits.length);
  for (let index = 0; index < bits.length; index++) {
    const half = bits[index]!;
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >> 10) & 0x1f;
    const fraction = half & 0x3ff;
    result[index] =
      exponent === 0 ? sign * 2 ** -14 * (fraction / 1024) : exponent === 31 ? (fraction ? NaN : sign * Infinity) : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return result;
}

/** Test hook: forget which providers failed. */
export function resetFailedProviders(): void {
  failedProviders.clear();
}
