// Types for onnxRewrite.mjs (plain JS so the provisioning script runs on bare Node).

/** What {@link rewriteOnnxModel} changed. */
export interface RewriteReport {
  convertedInitializers: number;
  removedCasts: number;
  symbolicInputs: string[];
  resizesFollowingShapes: number;
  /** Resizes made a constant factor (`resizeScale`). */
  resizesByScale: number;
  /** Nodes dropped because no kept output needs them (side outputs left out of `keepOutputs`; size nodes `resizeScale` left unused). */
  prunedNodes: number;
}

/**
 * Rewrites an ONNX model: fp16 weights to fp32 without Cast nodes, symbolic input height and width, traced Resize
 * sizes as a constant factor, and/or only the named graph outputs with the nodes they need.
 */
export function rewriteOnnxModel(bytes: Uint8Array, options: { toFloat32?: boolean; symbolicInputSize?: boolean; resizeScale?: number; keepOutputs?: string[] }): { bytes: Buffer; report: RewriteReport };

/** One graph input or output: element type (1 = FLOAT, 10 = FLOAT16) and dims (numbers or `dim_param` names). */
export interface OnnxValueDescription {
  name: string;
  elemType: number;
  dims: Array<number | string>;
}

/** Graph inputs and outputs, initializer counts by data type, and node counts by op type. */
export function describeOnnxModel(bytes: Uint8Array): {
  inputs: OnnxValueDescription[];
  outputs: OnnxValueDescription[];
  initializerTypes: Record<number, number>;
  opCounts: Record<string, number>;
};
