// Field numbers of onnx.proto3 and small helpers shared by the ONNX rewrites (scripts/onnxRewrite.mjs).
// https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
import { fieldText, joinChunks, readFields, wireType, writeFields } from './protobufWire.mjs';

export const modelField = { graph: 7 };
export const graphField = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 };
export const nodeField = { input: 1, output: 2, opType: 4, attribute: 5 };
export const attributeField = { name: 1, i: 3 };
export const tensorField = { dims: 1, dataType: 2, int32Data: 5, name: 8, rawData: 9 };
export const valueInfoField = { name: 1, type: 2 };
export const typeField = { tensorType: 1 };
export const tensorTypeField = { elemType: 1, shape: 2 };
export const dimensionField = { value: 1, param: 2 };
export const dataType = { float: 1n, float16: 10n };

/** One nested message, encoded. */
export function encode(fields) {
  return joinChunks(writeFields(fields));
}


/** Rewrites the dims of a ValueInfoProto's tensor shape (each dim as its list of fields). */
export function rewriteValueInfoShape(valueInfoBytes, changeDims) {
  const info = readFields(valueInfoBytes);
  return encode(
    info.map((infoField) => {
      if (infoField.number !== valueInfoField.type) return infoField;
      const type = readFields(infoField.value).map((typeEntry) => {
        if (typeEntry.number !== typeField.tensorType) return typeEntry;
        const tensorType = readFields(typeEntry.value).map((tensorEntry) => {
          if (tensorEntry.number !== tensorTypeField.shape) return tensorEntry;
          const dims = readFields(tensorEntry.value).map((dimension) => readFields(dimension.value));
          const changed = changeDims(dims);
          return { ...tensorEntry, value: encode(changed.map((dim) => ({ number: 1, wire: wireType.bytes, value: encode(dim) }))) };
        });
        return { ...typeEntry, value: encode(tensorType) };
      });
      return { ...infoField, value: encode(type) };
    }),
  );
}

/** The name of a ValueInfoProto. */
export function valueInfoName(bytes) {
  const name = readFields(bytes).find((field) => field.number === valueInfoField.name);
  return name ? fieldText(name.value) : '';
}

/** The op_type of a NodeProto (as its fields). */
export function opType(node) {
  const field = node.find((part) => part.number === nodeField.opType);
  return field ? fieldText(field.value) : '';
}

/** The string fields with this number of a NodeProto (inputs or outputs). */
export function strings(node, number) {
  return node.filter((part) => part.number === number).map((part) => fieldText(part.value));
}

/** The `to` attribute of a Cast node. */
export function castTarget(node) {
  for (const attribute of node.filter((part) => part.number === nodeField.attribute)) {
    const fields = readFields(attribute.value);
    const name = fields.find((field) => field.number === attributeField.name);
    if (name && fieldText(name.value) === 'to') return fields.find((field) => field.number === attributeField.i)?.value;
  }
  return undefined;
}

