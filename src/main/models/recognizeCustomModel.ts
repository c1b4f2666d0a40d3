// Turns a user-supplied `.onnx` into a `custom` ModelSpec by asking onnxruntime what the graph declares. The graph
// cannot tell us how its inputs were normalised, so that comes from an optional sidecar `<name>.json`, or defaults to
// ImageNet with `normalizationInferred: false` so the UI asks the user.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { inspectModelFile, type SessionShapes } from '../inference/inspectModelFile';
import { z } from 'zod';
import { StudioError } from '../../shared/errors';
import { imagenetNormalization, modelLicenceSchema, modelSpecSchema, normalizationSchema, type ModelSpec } from '../../shared/modelTypes';

/** Size used for a dynamic spatial dimension: where BiRefNet-class models do their best. */
const defaultDynamicSize = 1024;

/** What a sidecar `<name>.json` next to the model may say. Everything is optional. */
export const customModelSidecarSchema = z.object({
  name: z.string().min(1).optional(),
  normalization: normalizationSchema.optional(),
  needsSigmoid: z.boolean().optional(),
  licence: modelLicenceSchema.optional(),
});

/** Options for {@link recognizeCustomModel}. */
export interface RecognizeCustomModelOptions {
  /** Id to give the model; defaults to {@link customModelId} of the file name. */
  id?: string;
  /** Receives a sentence when the sidecar is present but unusable. */
  warn?: (message: string) => void;
  /**
   * Reads the file's declared inputs and outputs (the engine does it in the inference worker: opening a session holds
   * the calling thread for seconds). @default {@link inspectModelFile} on the calling thread
   */
  readShapes?: (path: string) => Promise<SessionShapes>;
}

/** A stable, file-name-safe id for a custom model file: `custom-<slug of its base name>`. */
export function customModelId(fileName: string): string {
  const stem = basename(fileName, extname(fileName));
  const slug = stem.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
  return `custom-${slug.slice(0, 56) || 'model'}`;
}

/** A positive static dimension, or undefined for a symbolic / unknown one. */
function staticDimension(value: number | string | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function tensorShape(metadata: InferenceSession.ValueMetadata | undefined): readonly (number | string)[] | undefined {
  return metadata?.isTensor ? metadata.shape : undefined;
}

/** The parts of a session {@link readModelShapes} looks at, so the rules are testable without a model file. */
export type { SessionShapes };

/** Input description and matte output name read from a session. */
export interface ModelShapes {
  input: ModelSpec['input'];
  outputName: string | undefined;
}

/**
 * Input: the single image input, NCHW with 3 channels; its static H×W, or 1024 for dynamic dimensions.
 * Output: the first output shaped [N, 1, H, W], else output 0. Throws `MODEL_INVALID` for anything else.
 */
export function readModelShapes(session: SessionShapes, fileName: string): ModelShapes {
  if (session.inputNames.length !== 1) {
    throw new StudioError('MODEL_INVALID', `“${fileName}” needs ${session.inputNames.length} inputs; Matte Studio can only feed a model one image.`, `inputs: ${session.inputNames.join(', ')}`);
  }
  const shape = tensorShape(session.inputMetadata[0]);
  const channels = staticDimension(shape?.[1]);
  if (!shape || shape.length !== 4 || (channels !== undefined && channels !== 3)) {
    throw new StudioError('MODEL_INVALID', `“${fileName}” does not take a colour image in the layout Matte Studio uses (NCHW, 3 channels).`, `input shape: ${JSON.stringify(shape)}`);
  }
  const height = staticDimension(shape[2]);
  const width = staticDimension(shape[3]);
  // Deep-supervision side outputs come after the final matte in IS-Net/U²-Net exports, so the first one-channel
  // output is the one to use.
  const matteIndex = session.outputMetadata.findIndex((metadata) => {
    const outputShape = tensorShape(metadata);
    return outputShape?.length === 4 && staticDimension(outputShape[1]) === 1;
  });
  return {
    input: { name: session.inputNames[0], width: width ?? defaultDynamicSize, height: height ?? defaultDynamicSize, layout: 'NCHW', dynamic: width === undefined || height === undefined },
    outputName: session.outputNames[Math.max(matteIndex, 0)],
  };
}

async function readSidecar(modelPath: string, warn: (message: string) => void): Promise<z.output<typeof customModelSidecarSchema> | undefined> {
  const sidecarPath = join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}.json`);
  let text: string;
  try {
    text = await readFile(sidecarPath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = customModelSidecarSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    warn(`Ignoring ${sidecarPath}: ${z.prettifyError(parsed.error)}`);
  } catch (error) {
    warn(`Ignoring ${sidecarPath}: ${(error as Error).message}`);
  }
  return undefined;
}

/**
 * Opens `path` with onnxruntime-node and builds a `custom` spec from the declared input and output shapes
 * (see {@link readModelShapes}). Rejects with `MODEL_INVALID` when the file does not load or does not look like a
 * one-image-in matting model.
 */
export async function recognizeCustomModel(path: string, options: RecognizeCustomModelOptions = {}): Promise<ModelSpec> {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const fileName = basename(path);
  let session: SessionShapes;
  try {
    session = await (options.readShapes ?? inspectModelFile)(path);
  } catch (error) {
    throw new StudioError('MODEL_INVALID', `“${fileName}” could not be opened as an ONNX model.`, (error as Error).message, { cause: error });
  }
  const { input, outputName } = readModelShapes(session, fileName);
  const sidecar = await readSidecar(path, warn);
  return modelSpecSchema.parse({
    id: options.id ?? customModelId(fileName),
    name: sidecar?.name ?? basename(fileName, extname(fileName)),
    family: 'custom',
    // Unknown quality: custom models are never picked automatically, only when the user chooses them.
    tier: 0,
    sizeBytes: (await stat(path)).size,
    input,
    normalization: sidecar?.normalization ?? imagenetNormalization,
    output: { name: outputName, needsSigmoid: sidecar?.needsSigmoid ?? false },
    licence: sidecar?.licence ?? { id: 'unknown', commercialUse: false, note: 'User-supplied model: check its licence before commercial use.' },
    normalizationInferred: sidecar?.normalization !== undefined,
  });
}
