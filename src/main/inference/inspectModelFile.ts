import { InferenceSession } from 'onnxruntime-node';

/** The parts of a session a custom model is recognised by: its declared inputs and outputs. */
export type SessionShapes = Pick<InferenceSession, 'inputNames' | 'inputMetadata' | 'outputNames' | 'outputMetadata'>;

/**
 * Opens a model file only to read its declared inputs and outputs, then releases it. As plain data, so it can cross
 * from the inference worker: opening a session is synchronous in onnxruntime-node (the 176 MB IS-Net file held the
 * calling thread for 2.8 s, and the model manager's larger models take longer), so the studio does it there.
 */
export async function inspectModelFile(path: string): Promise<SessionShapes> {
  const session = await InferenceSession.create(path);
  try {
    return structuredClone({ inputNames: session.inputNames, inputMetadata: session.inputMetadata, outputNames: session.outputNames, outputMetadata: session.outputMetadata });
  } finally {
    await session.release();
  }
}
