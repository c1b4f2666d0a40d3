// Rewrites an ONNX model in place of a converter dependency: fp16 weights → fp32 (dropping the Cast nodes the fp16
// export wrapped around its graph inputs, outputs and Resize nodes), and the graph input's height/width made
// symbolic so the same file runs at 1024² or a lower "draft" size, and the graph cut down to the outputs the studio
// reads.
// Field numbers are those of onnx.proto3: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
import { fieldText, joinChunks, readFields, writeFields } from './protobufWire.mjs';
import { convertGraphToFloat32 } from './onnxFloat32.mjs';
import { dimensionField, encode, graphField, modelField, opType, tensorField, tensorTypeField, typeField, valueInfoField, valueInfoName } from './onnxGraph.mjs';
import { pruneToOutputs } from './onnxPrune.mjs';
import { makeResizeSizesFollowShapes, makeResizesScaleBy, makeSpatialDimsSymbolic } from './onnxSymbolicSize.mjs';

/**
 * What {@link rewriteOnnxModel} changed, for the provisioning log and the tests.
 * @typedef {{ convertedInitializers: number, removedCasts: number, symbolicInputs: string[], resizesFollowingShapes: number, resizesByScale: number, prunedNodes: number }} RewriteReport
 */

/**
 * Rewrites a model: with `toFloat32`, every FLOAT16 initializer becomes FLOAT and every Cast between float types is
 * removed (the graph then runs in fp32 end to end; graph input and output types stay FLOAT). With `symbolicInputSize`,
 * dims 2 and 3 (H, W) of the graph inputs and outputs become `dim_param`s. Either drops `value_info`, whose static
 * fp16 types and 1024² shapes would no longer hold; onnxruntime infers them again. The traced Resize sizes follow
 * their targets' shapes, or with `resizeScale` become that constant factor (`onnxSymbolicSize.mjs`; the size nodes
 * left unused are pruned). With `keepOutputs`, only those graph outputs stay, with the nodes and weights they need
 * (`onnxPrune.mjs`).
 * @param {Uint8Array} bytes the `.onnx` file
 * @param {{ toFloat32?: boolean, symbolicInputSize?: boolean, resizeScale?: number, keepOutputs?: string[] }} options
 * @returns {{ bytes: Buffer, report: RewriteReport }}
 */
export function rewriteOnnxModel(bytes, options) {
  const report = { convertedInitializers: 0, removedCasts: 0, symbolicInputs: [], resizesFollowingShapes: 0, resizesByScale: 0, prunedNodes: 0 };
  const modelFields = readFields(bytes);
  const graphEntry = modelFields.find((field) => field.number === modelField.graph);
  if (!graphEntry || typeof graphEntry.value === 'bigint') throw new TypeError('Expected an ONNX ModelProto with a graph for model but received none');
  let graph = readFields(graphEntry.value);
  if (options.toFloat32) graph = convertGraphToFloat32(graph, report);
  // Outputs left out go first, so the Resize rewrites below see only the Resizes that stay.
  if (options.keepOutputs) graph = pruneToOutputs(graph, options.keepOutputs, report);
  if (options.resizeScale !== undefined) graph = pruneToOutputs(makeResizesScaleBy(graph, options.resizeScale, report), outputNames(graph), report);
  else if (options.symbolicInputSize) graph = makeResizeSizesFollowShapes(graph, report);
  if (options.symbolicInputSize) graph = makeSpatialDimsSymbolic(graph, report);
  graph = graph.filter((field) => field.number !== graphField.valueInfo);
  const rewrittenModel = modelFields.map((field) => (field === graphEntry ? { ...field, value: encode(graph) } : field));
  return { bytes: joinChunks(writeFields(rewrittenModel)), report };
}

/**
 * Element type and shape of every graph input and output (dims as numbers or `dim_param` names), for tests and logs.
 * @param {Uint8Array} bytes
 * @returns {{ inputs: Array<{ name: string, elemType: number, dims: Array<number | string> }>, outputs: Array<{ name: string, elemType: number, dims: Array<number | string> }>, initializerTypes: Record<number, number>, opCounts: Record<string, number> }}
 */
export function describeOnnxModel(bytes) {
  const graphEntry = readFields(bytes).find((field) => field.number === modelField.graph);
  if (!graphEntry || typeof graphEntry.value === 'bigint') throw new TypeError('Expected an ONNX ModelProto with a graph for model but received none');
  const graph = readFields(graphEntry.value);
  const describe = (field) => {
    const info = readFields(field.value);
    const type = info.find((entry) => entry.number === valueInfoField.type);
    const tensorType = type ? readFields(readFields(type.value).find((entry) => entry.number === typeField.tensorType)?.value ?? new Uint8Array()) : [];
    const shape = tensorType.find((entry) => entry.number === tensorTypeField.shape);
    const dims = shape
      ? readFields(shape.value).map((dimension) => {
          const parts = readFields(dimension.value);
          const param = parts.find((part) => part.number === dimensionField.param);
          return param ? fieldText(param.value) : Number(parts.find((part) => part.number === dimensionField.value)?.value ?? -1);
        })
      : [];
    return { name: valueInfoName(field.value), elemType: Number(tensorType.find((entry) => entry.number === tensorTypeField.elemType)?.value ?? 0), dims };
  };
  const initializerTypes = {};
  for (const field of graph.filter((entry) => entry.number === graphField.initializer)) {
    const type = Number(readFields(field.value).find((entry) => entry.number === tensorField.dataType)?.value ?? 0);
    initializerTypes[type] = (initializerTypes[type] ?? 0) + 1;
  }
  const opCounts = {};
  for (const field of graph.filter((entry) => entry.number === graphField.node)) {
    const op = opType(readFields(field.value));
    opCounts[op] = (opCounts[op] ?? 0) + 1;
  }
  return {
    inputs: graph.filter((field) => field.number === graphField.input).map(describe),
    outputs: graph.filter((field) => field.number === graphField.output).map(describe),
    initializerTypes,
    opCounts,
  };
}

function outputNames(graph) {
  return graph.filter((field) => field.number === graphField.output).map((field) => valueInfoName(field.value));
}
