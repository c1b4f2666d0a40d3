/**
 * Standard base64 (RFC 4648, padded) for byte arrays. Written out because the document layer runs without DOM or
 * Node globals (`btoa`, `Buffer`) and `Uint8Array.toBase64` is not yet in every runtime we support.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const values = new Map([...alphabet].map((character, index) => [character, index]));

/** Encodes bytes as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const first = bytes[index]!;
    const second = bytes[index + 1];
    const third = bytes[index + 2];
    const group = (first << 16) | ((second ?? 0) << 8) | (third ?? 0);
    text += alphabet[group >> 18]! + alphabet[(group >> 12) & 63]!;
    text += second === undefined ? '=' : alphabet[(group >> 6) & 63]!;
    text += third === undefined ? '=' : alphabet[group & 63]!;
  }
  return text;
}

/** Decodes padded base64; throws `RangeError` on any other text. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new RangeError(`Expected padded base64 for text but received ${text.length} characters that are not`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let byteIndex = 0;
  for (let index = 0; index < text.length; index += 4) {
    let group = 0;
    for (let offset = 0; offset < 4; offset++) group = (group << 6) | (values.get(text[index + offset]!) ?? 0);
    for (const shift of [16, 8, 0]) if (byteIndex < bytes.length) bytes[byteIndex++] = (group >> shift) & 255;
  }
  return bytes;
}
