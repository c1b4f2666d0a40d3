// Makes an ONNX graph's input height and width symbolic, including the Resize sizes its trace fixed at 1024².
import { packedVarints, readFields, textField, wireType } from './protobufWire.mjs';
import { dimensionField, encode, graphField, nodeField, opType, rewriteValueInfoShape, strings, tensorField, valueInfoName } from './onnxGraph.mjs';

/** Dims 2 and 3 (H, W) of the graph's 4-D inputs and outputs become `dim_param`s; returns the new graph fields. */
export function makeSpatialDimsSymbolic(graph, report) {
  return graph.map((field) => {
    if (field.number !== graphField.input && field.number !== graphField.output) return field;
    const name = valueInfoName(field.value);
    const rewritten = rewriteValueInfoShape(field.value, (dims) =>
      dims.length === 4 ? dims.map((dim, index) => (index < 2 ? dim : [textField(dimensionField.param, `${name}_${index === 2 ? 'height' : 'width'}`)])) : dims,
    );
    if (field.number === graphField.input) report.symbolicInputs.push(name);
    return { ...field, value: rewritten };
  });
}

/**
 * The traced graph resizes with `sizes = Concat(Shape(x)[0:2], Constant[h, w])`, the constant being the 1024² trace's
 * target size (`F.interpolate(x, size=target.shape[2:])`). Each such constant is replaced by `Shape(target)[2:4]`
 * (Shape-15's start/end attributes), the target being the other input of the Concat that consumes the resized tensor
 * (decoder skip connections), or the graph input when the constant equals its static size (side outputs).
 */
export function makeResizeSizesFollowShapes(graph, report) {
  const input = graph.find((field) => field.number === graphField.input);
  if (!input) return graph;
  const inputName = valueInfoName(input.value);
  const nodes = graph.filter((field) => field.number === graphField.node).map((field) => readFields(field.value));
  const producers = new Map();
  const consumers = new Map();
  for (const node of nodes) {
    for (const output of strings(node, nodeField.output)) producers.set(output, node);
    for (const name of strings(node, nodeField.input)) if (!consumers.has(name)) consumers.set(name, node);
  }
  const staticInputSize = originalInputSize(input.value);
  /** Follows Casts from a tensor to the first node that really uses it. */
  const realConsumer = (name) => {
    let current = name;
    for (let hops = 0; hops < 4; hops++) {
      const node = consumers.get(current);
      if (!node || opType(node) !== 'Cast') return { node, via: current };
      current = strings(node, nodeField.output)[0];
    }
    return { node: undefined, via: current };
  };
  const replaced = new Map();
  const extraNodes = new Map();
  for (const node of nodes) {
    const traced = tracedResizeSize(node, producers);
    if (!traced) continue;
    const { sizesName, sizesConcat, constantName, spatial } = traced;
    const { node: consumer, via } = realConsumer(strings(node, nodeField.output)[0]);
    let target;
    if (consumer && opType(consumer) === 'Concat') target = strings(consumer, nodeField.input).find((name) => name !== via);
    else if (staticInputSize && spatial[0] === staticInputSize[0] && spatial[1] === staticInputSize[1]) target = inputName;
    if (!target) throw new TypeError(`Expected a Resize whose target size can be traced for ${strings(node, 3)[0] ?? 'a Resize node'} but received none`);
    const shapeOutput = `${sizesName}_target_hw`;
    const shapeNode = [
      textField(nodeField.input, target),
      textField(nodeField.output, shapeOutput),
      textField(3, `${sizesName}_target_shape`),
      textField(nodeField.opType, 'Shape'),
      intAttribute('start', 2n),
      intAttribute('end', 4n),
    ];
    replaced.set(sizesConcat, strings(sizesConcat, nodeField.input).map((name) => (name === constantName ? shapeOutput : name)));
    extraNodes.set(sizesConcat, shapeNode);
    report.resizesFollowingShapes++;
  }
  const nodeIterator = nodes[Symbol.iterator]();
  return graph.flatMap((field) => {
    if (field.number !== graphField.node) return [field];
    const node = nodeIterator.next().value;
    const inputs = replaced.get(node);
    if (!inputs) return [field];
    const rewritten = [...inputs.map((name) => textField(nodeField.input, name)), ...node.filter((part) => part.number !== nodeField.input)];
    return [
      { number: graphField.node, wire: wireType.bytes, value: encode(extraNodes.get(node)) },
      { ...field, value: encode(rewritten) },
    ];
  });
}

/**
 * Each traced Resize (`sizes = Concat(Shape(x)[0:2], Constant[h, w])`, as {@link makeResizeSizesFollowShapes} finds
 * them) becomes a resize by a constant factor, `scales = [1, 1, factor, factor]` (one shared initializer), for a graph
 * whose every Resize multiplies the size by `factor`: IS-Net's decoder undoes 2×2 max-pools and its matte is doubled
 * from the stride-2 first stage, so with 2 the graph runs at any input side that is a multiple of 64 (1024, 768, 512),
 * as with sizes that follow shapes. Constant scales let onnxruntime run the Resizes in its blocked (NCHWc) layout
 * instead of converting around each one: IS-Net fp32 1024², 2 cores, 0.93 of the time with sizes following shapes
 * (paired runs in one process), the matte within 1.3e-6 at 1024², 768² and 512². The replaced size inputs are left
 * unused (`rewriteOnnxModel` prunes them). A traced target that the factor does not divide is refused.
 */
export function makeResizesScaleBy(graph, factor, report) {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new RangeError(`Expected a whole factor ≥ 1 for resizeScale but received ${factor}`);
  const nodes = new Map(graph.filter((field) => field.number === graphField.node).map((field) => [field, readFields(field.value)]));
  const producers = new Map();
  for (const node of nodes.values()) for (const output of strings(node, nodeField.output)) producers.set(output, node);
  const scalesName = `resize_scales_x${factor}`;
  const rewritten = graph.map((field) => {
    const node = nodes.get(field);
    const traced = node && tracedResizeSize(node, producers);
    if (!traced) return field;
    const { sizesName, spatial } = traced;
    const [source] = strings(node, nodeField.input);
    if (spatial.some((side) => side % factor !== 0)) throw new TypeError(`Expected traced Resize sizes divisible by ${factor} for ${sizesName} but received ${spatial.join('×')}`);
    report.resizesByScale++;
    return { ...field, value: encode([textField(nodeField.input, source), textField(nodeField.input, ''), textField(nodeField.input, scalesName), ...node.filter((part) => part.number !== nodeField.input)]) };
  });
  if (report.resizesByScale === 0) return rewritten;
  // TensorProto: dims = 1, data_type = 2 (FLOAT = 1), name = 8, raw_data = 9.
  const scales = new Uint8Array(new Float32Array([1, 1, factor, factor]).buffer);
  const initializer = encode([{ number: tensorField.dims, wire: wireType.varint, value: 4n }, { number: tensorField.dataType, wire: wireType.varint, value: 1n }, textField(tensorField.name, scalesName), { number: tensorField.rawData, wire: wireType.bytes, value: scales }]);
  return [...rewritten, { number: graphField.initializer, wire: wireType.bytes, value: initializer }];
}

/**
 * A Resize's traced target size, `sizes = Concat(Shape(x)[0:2], Constant[h, w])`, with the nodes that spell it;
 * undefined for any other node or Resize. `producers`: the node producing each tensor.
 */
function tracedResizeSize(node, producers) {
  if (opType(node) !== 'Resize') return undefined;
  const sizesName = strings(node, nodeField.input)[3];
  const sizesConcat = sizesName ? producers.get(sizesName) : undefined;
  if (!sizesConcat || opType(sizesConcat) !== 'Concat') return undefined;
  const [, constantName] = strings(sizesConcat, nodeField.input);
  const constantNode = constantName ? producers.get(constantName) : undefined;
  const spatial = constantNode && opType(constantNode) === 'Constant' ? constantInt64s(constantNode) : undefined;
  return spatial && spatial.length === 2 ? { sizesName, sizesConcat, constantName, spatial } : undefined;
}

function intAttribute(name, value) {
  // AttributeProto: name = 1, i = 3, type = 20 (INT = 2).
  return { number: nodeField.attribute, wire: wireType.bytes, value: encode([textField(1, name), { number: 3, wire: wireType.varint, value }, { number: 20, wire: wireType.varint, value: 2n }]) };
}

/** The int64 values of a Constant node's `value` tensor (raw_data or int64_data). */
function constantInt64s(node) {
  for (const attribute of node.filter((part) => part.number === nodeField.attribute)) {
    const tensorEntry = readFields(attribute.value).find((field) => field.number === 5);
    if (!tensorEntry) continue;
    const tensor = readFields(tensorEntry.value);
    if (tensor.find((field) => field.number === tensorField.dataType)?.value !== 7n) return undefined;
    const raw = tensor.find((field) => field.number === tensorField.rawData);
    if (raw) return Array.from(new BigInt64Array(new Uint8Array(raw.value).buffer), Number);
    return tensor.filter((field) => field.number === 7).flatMap((field) => packedVarints(field.value)).map((value) => Number(BigInt.asIntN(64, value)));
  }
  return undefined;
}

/** H and W of a 4-D input before it was made symbolic (from the original ValueInfo), when static. */
function originalInputSize(valueInfoBytes) {
  let size;
  rewriteValueInfoShape(valueInfoBytes, (dims) => {
    const values = dims.map((dim) => dim.find((part) => part.number === dimensionField.value)?.value);
    if (dims.length === 4 && typeof values[2] === 'bigint' && typeof values[3] === 'bigint') size = [Number(values[2]), Number(values[3])];
    return dims;
  });
  return size;
}

