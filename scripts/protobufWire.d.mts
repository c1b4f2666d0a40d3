// Types for protobufWire.mjs (plain JS so the provisioning script runs on bare Node).

/** One field of a message: a bigint for varints, bytes (or chunks, when writing) for the other wire types. */
export interface WireField {
  number: number;
  wire: number;
  value: bigint | Uint8Array | Uint8Array[];
}

/** Wire types used by ONNX. */
export const wireType: Readonly<{ varint: 0; fixed64: 1; bytes: 2; fixed32: 5 }>;
/** Splits one encoded message into its fields, in order. */
export function readFields(bytes: Uint8Array): Array<{ number: number; wire: number; value: bigint | Uint8Array }>;
/** Encodes fields into chunks. */
export function writeFields(fields: WireField[]): Uint8Array[];
/** Joins chunks into one buffer. */
export function joinChunks(chunks: Uint8Array[]): Buffer;
/** The UTF-8 text of a length-delimited field. */
export function fieldText(value: bigint | Uint8Array): string;
/** A length-delimited field holding UTF-8 text. */
export function textField(number: number, text: string): WireField;
/** The values of a packed (or single) repeated varint field. */
export function packedVarints(value: bigint | Uint8Array): bigint[];
