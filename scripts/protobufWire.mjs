// Protocol Buffers wire format, read and written field by field without a schema or a dependency.
// Enough to rewrite ONNX files: a message is a list of fields; fields we do not touch are copied back byte for byte.
// https://protobuf.dev/programming-guides/encoding/

/** Wire types used by ONNX: varint, 64-bit, length-delimited, 32-bit. */
export const wireType = Object.freeze({ varint: 0, fixed64: 1, bytes: 2, fixed32: 5 });

/**
 * Splits one encoded message into its fields, in file order. `value` is a bigint for varints and a view (no copy)
 * into `bytes` for the other wire types.
 * @param {Uint8Array} bytes
 * @returns {Array<{ number: number, wire: number, value: bigint | Uint8Array }>}
 */
export function readFields(bytes) {
  const fields = [];
  let position = 0;
  while (position < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, position);
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    position = afterTag;
    if (wire === wireType.varint) {
      const [value, next] = readVarint(bytes, position);
      fields.push({ number, wire, value });
      position = next;
    } else if (wire === wireType.bytes) {
      const [length, start] = readVarint(bytes, position);
      const end = start + Number(length);
      if (end > bytes.length) throw new RangeError(`Expected a field that fits the message for field ${number} but received ${end - bytes.length} bytes too many`);
      fields.push({ number, wire, value: bytes.subarray(start, end) });
      position = end;
    } else if (wire === wireType.fixed64 || wire === wireType.fixed32) {
      const end = position + (wire === wireType.fixed64 ? 8 : 4);
      fields.push({ number, wire, value: bytes.subarray(position, end) });
      position = end;
    } else {
      throw new RangeError(`Expected a protobuf wire type 0, 1, 2 or 5 for field ${number} but received ${wire}`);
    }
  }
  return fields;
}

/**
 * Encodes fields back into a message (as a list of chunks, so large payloads are not copied until the end).
 * @param {Array<{ number: number, wire: number, value: bigint | Uint8Array | Uint8Array[] }>} fields
 * @returns {Uint8Array[]}
 */
export function writeFields(fields) {
  const chunks = [];
  for (const field of fields) {
    chunks.push(encodeVarint((BigInt(field.number) << 3n) | BigInt(field.wire)));
    if (field.wire === wireType.varint) {
      chunks.push(encodeVarint(/** @type {bigint} */ (field.value)));
    } else if (field.wire === wireType.bytes) {
      const parts = Array.isArray(field.value) ? field.value : [/** @type {Uint8Array} */ (field.value)];
      chunks.push(encodeVarint(BigInt(parts.reduce((total, part) => total + part.length, 0))));
      chunks.push(...parts);
    } else {
      chunks.push(/** @type {Uint8Array} */ (field.value));
    }
  }
  return chunks;
}

/** Joins chunks into one buffer. @param {Uint8Array[]} chunks */
export function joinChunks(chunks) {
  return Buffer.concat(chunks);
}

/** The UTF-8 text of a length-delimited field. @param {bigint | Uint8Array} value */
export function fieldText(value) {
  return Buffer.from(/** @type {Uint8Array} */ (value)).toString('utf8');
}

/** A length-delimited field holding UTF-8 text. @param {number} number @param {string} text */
export function textField(number, text) {
  return { number, wire: wireType.bytes, value: new Uint8Array(Buffer.from(text, 'utf8')) };
}

/** Decodes one varint (two's complement 64-bit, so int64 −1 comes back as 2^64 − 1). */
function readVarint(bytes, position) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (position >= bytes.length) throw new RangeError('Expected a complete varint but received the end of the message');
    const byte = bytes[position++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, position];
    shift += 7n;
    if (shift > 63n) throw new RangeError('Expected a varint of at most 10 bytes but received a longer one');
  }
}

/** Encodes a varint; negative values are written as 64-bit two's complement, as protobuf does for int64. */
function encodeVarint(value) {
  let remaining = BigInt.asUintN(64, value);
  const bytes = [];
  do {
    let byte = Number(remaining & 0x7fn);
    remaining >>= 7n;
    if (remaining !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (remaining !== 0n);
  return Uint8Array.from(bytes);
}

/** Reads a packed repeated varint field (or a single unpacked value). @param {bigint | Uint8Array} value */
export function packedVarints(value) {
  if (typeof value === 'bigint') return [value];
  const values = [];
  let position = 0;
  while (position < value.length) {
    const [decoded, next] = readVarint(value, position);
    values.push(decoded);
    position = next;
  }
  return values;
}
