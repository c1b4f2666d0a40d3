// Keeps only the graph outputs the studio reads and the nodes they need. IS-Net's export carries its training-time
// deep supervision: five side mattes, each resized to the input size, and six pre-sigmoid logits, all graph outputs.
// onnxruntime runs every node of a session whether or not a run fetches its output, so the side branches cost about
// 2 % of every run (IS-Net fp32 1024², 2 cores: pruned / full 0.977, paired runs in one process, same matte bit for bit).
import { fieldText, readFields } from './protobufWire.mjs';
import { graphField, nodeField, strings, tensorField, valueInfoName } from './onnxGraph.mjs';

/** AttributeProto fields that hold subgraphs (`g`, `graphs`): their inputs are not visible here, so such nodes are refused. */
const subgraphAttributeFields = new Set([6, 11]);

/**
 * Returns the graph's fields with only the outputs named in `keep`, the nodes those outputs depend on, and the
 * initializers (and initializer-backed graph inputs) those nodes read. Adds the number of nodes dropped to
 * `report.prunedNodes`.
 * @param {Array<{ number: number, wire: number, value: bigint | Uint8Array }>} graph GraphProto fields
 * @param {string[]} keep graph output names to keep
 * @param {{ prunedNodes: number }} report
 */
export function pruneToOutputs(graph, keep, report) {
  const outputNames = graph.filter((field) => field.number === graphField.output).map((field) => valueInfoName(field.value));
  const missing = keep.filter((name) => !outputNames.includes(name));
  if (keep.length === 0 || missing.length > 0) {
    throw new TypeError(`Expected graph outputs to keep among ${outputNames.join(', ')} for keepOutputs but received ${keep.length === 0 ? 'none' : missing.join(', ')}`);
  }
  const nodes = graph.filter((field) => field.number === graphField.node);
  const producerOf = new Map();
  const inputsOf = new Map();
  for (const field of nodes) {
    const node = readFields(field.value);
    inputsOf.set(field, strings(node, nodeField.input));
    for (const output of strings(node, nodeField.output)) producerOf.set(output, { field, node });
  }
  const needed = new Set();
  const keptNodes = new Set();
  const pending = [...keep];
  while (pending.length > 0) {
    const name = pending.pop();
    if (needed.has(name)) continue;
    needed.add(name);
    const producer = producerOf.get(name);
    if (!producer || keptNodes.has(producer.field)) continue;
    if (hasSubgraph(producer.node)) throw new TypeError(`Expected nodes without subgraphs for pruning but received one producing ${name}`);
    keptNodes.add(producer.field);
    pending.push(...inputsOf.get(producer.field).filter((input) => input !== ''));
  }
  report.prunedNodes += nodes.length - keptNodes.size;
  const initializerNames = new Set(graph.filter((field) => field.number === graphField.initializer).map((field) => tensorName(field.value)));
  return graph.filter((field) => {
    if (field.number === graphField.node) return keptNodes.has(field);
    if (field.number === graphField.output) return keep.includes(valueInfoName(field.value));
    if (field.number === graphField.initializer) return needed.has(tensorName(field.value));
    // Older exports list initializers among the graph inputs too: one whose initializer went goes with it.
    if (field.number === graphField.input) return !initializerNames.has(valueInfoName(field.value)) || needed.has(valueInfoName(field.value));
    return true;
  });
}

function tensorName(bytes) {
  const name = readFields(bytes).find((field) => field.number === tensorField.name);
  return name ? fieldText(name.value) : '';
}

function hasSubgraph(node) {
  return node.filter((part) => part.number === nodeField.attribute).some((attribute) => readFields(attribute.value).some((field) => subgraphAttributeFields.has(field.number)));
}
