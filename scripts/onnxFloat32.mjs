// fp16 → fp32 for an ONNX graph exported with float16 weights and Casts around its inputs, outputs and Resize nodes.
import { fieldText, packedVarints, readFields, textField, wireType } from './protobufWire.mjs';
import { castTarget, dataType, encode, graphField, nodeField, opType, strings, tensorField, valueInfoName } from './onnxGraph.mjs';

/** Every FLOAT16 initializer becomes FLOAT and every Cast between float types is removed; returns the new graph fields. */
export function convertGraphToFloat32(graph, report) {
  const graphOutputs = new Set(graph.filter((field) => field.number === graphField.output).map((field) => valueInfoName(field.value)));
  const graphInputs = new Set(graph.filter((field) => field.number === graphField.input).map((field) => valueInfoName(field.value)));
  const nodes = graph.filter((field) => field.number === graphField.node).map((field) => readFields(field.value));
  // A Cast between float types is an identity once everything is fp32: its input and output name the same tensor.
  // Names joined by removed Casts form one class, named after the graph input or output in it when there is one (those
  // names must survive); a Cast that would join two such names is kept.
  const parent = new Map();
  const find = (name) => {
    let current = name;
    while (parent.has(current)) current = parent.get(current);
    return current;
  };
  const isFixed = (name) => graphInputs.has(name) || graphOutputs.has(name);
  const removed = new Set();
  for (const node of nodes) {
    if (opType(node) !== 'Cast') continue;
    const target = castTarget(node);
    if (target !== dataType.float && target !== dataType.float16) continue;
    const [input] = strings(node, nodeField.input);
    const [output] = strings(node, nodeField.output);
    if (input === undefined || output === undefined) continue;
    const inputClass = find(input);
    const outputClass = find(output);
    if (inputClass !== outputClass) {
      if (isFixed(inputClass) && isFixed(outputClass)) continue;
      if (isFixed(outputClass)) parent.set(inputClass, outputClass);
      else parent.set(outputClass, inputClass);
    }
    removed.add(node);
  }
  const resolve = find;
  report.removedCasts = removed.size;
  const nodeIterator = nodes[Symbol.iterator]();
  return graph.flatMap((field) => {
    if (field.number === graphField.node) {
      const node = nodeIterator.next().value;
      if (removed.has(node)) return [];
      const renamed = node.map((part) =>
        part.number === nodeField.input || part.number === nodeField.output ? textField(part.number, resolve(fieldText(part.value))) : part,
      );
      return [{ ...field, value: encode(renamed) }];
    }
    if (field.number === graphField.initializer) {
      const converted = initializerToFloat32(field.value);
      if (converted === undefined) return [field];
      report.convertedInitializers++;
      return [{ ...field, value: converted }];
    }
    return [field];
  });
}

/** An fp16 TensorProto re-encoded as fp32 (raw_data or int32_data payloads), or undefined when it is not fp16. */
function initializerToFloat32(tensorBytes) {
  const tensor = readFields(tensorBytes);
  const typeField = tensor.find((field) => field.number === tensorField.dataType);
  if (typeField?.value !== dataType.float16) return undefined;
  const raw = tensor.find((field) => field.number === tensorField.rawData);
  let halves;
  if (raw) {
    const copy = new Uint8Array(raw.value);
    halves = new Uint16Array(copy.buffer, 0, copy.length >> 1);
  } else {
    halves = Uint16Array.from(tensor.filter((field) => field.number === tensorField.int32Data).flatMap((field) => packedVarints(field.value)), Number);
  }
  const floats = new Float32Array(halves.length);
  for (let index = 0; index < halves.length; index++) floats[index] = halfToFloat(halves[index]);
  const rawData = { number: tensorField.rawData, wire: wireType.bytes, value: new Uint8Array(floats.buffer) };
  const fields = tensor
    .filter((field) => field.number !== tensorField.rawData && field.number !== tensorField.int32Data)
    .map((field) => (field.number === tensorField.dataType ? { ...field, value: dataType.float } : field));
  return encode([...fields, rawData]);
}

/** IEEE 754 half → float (exact: every half is representable as a float). */
function halfToFloat(half) {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
