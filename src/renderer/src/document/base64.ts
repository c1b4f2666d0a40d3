/**
 * Standard base64 (RFC 4648, padded) for byte arrays. Written out because the document layer runs without DOM or
 * Node globals (`btoa`, `Buffer`) and `Uint8Array.toBase64` is not yet in every runtime we support.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const alphabetCodes = Uint8Array.from(alphabet, (character) => character.charCodeAt(0));
const paddingCode = 61; // '='
/** Sextet per character code; the input is checked against the alphabet before lookup. */
const sextets = new Uint8Array(128);
alphabetCodes.forEach((code, index) => (sextets[code] = index));

/** Encodes bytes as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  // Fill character codes first and convert in chunks: per-character string concatenation ran at ~4 MB/s.
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let codeIndex = 0;
  for (let index = 0; index < bytes.length; index += 3) {
    const remaining = bytes.length - index;
    const group = (bytes[index]! << 16) | ((remaining > 1 ? bytes[index + 1]! : 0) << 8) | (remaining > 2 ? bytes[index + 2]! : 0);
    codes[codeIndex++] = alphabetCodes[group >> 18]!;
    codes[codeIndex++] = alphabetCodes[(group >> 12) & 63]!;
    codes[codeIndex++] = remaining > 1 ? alphabetCodes[(group >> 6) & 63]! : paddingCode;
    codes[codeIndex++] = remaining > 2 ? alphabetCodes[group & 63]! : paddingCode;
  }
  let text = '';
  for (let start = 0; start < codes.length; start += 8192) text += String.fromCharCode(...codes.subarray(start, start + 8192));
  return text;
}

/** Decodes padded base64; throws `RangeError` on any other text. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new RangeError(`Expected padded base64 for text but received ${text.length} characters that are not base64`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let byteIndex = 0;
  for (let index = 0; index < text.length; index += 4) {
    let group = 0;
    for (let offset = 0; offset < 4; offset++) group = (group << 6) | sextets[text.charCodeAt(index + offset) & 127]!;
    for (const shift of [16, 8, 0]) if (byteIndex < bytes.length) bytes[byteIndex++] = (group >> shift) & 255;
  }
  return bytes;
}
