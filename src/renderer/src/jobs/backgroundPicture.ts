/**
 * Sends a background picture the artist chose to the engine, which keeps a copy composite exports read (a browser
 * `File` has no path in the web shell). Files up to {@link maxBackgroundUploadBytes} go as they are; a larger one is
 * re-encoded from the decoded picture as a high-quality JPEG over white (the engine flattens transparency over white
 * too), shrunk until it fits.
 */
import { maxBackgroundUploadBytes } from '../../../shared/contract/studioContract';
import type { StudioApi } from '../connection/connectStudio';
import { encodeBase64 } from '../document/base64';

/** The picture's bytes as they will be sent. */
export async function backgroundUploadBytes(file: Blob, bitmap: ImageBitmap, limit = maxBackgroundUploadBytes): Promise<Uint8Array> {
  if (file.size <= limit) return new Uint8Array(await file.arrayBuffer());
  for (let scale = 1; scale >= 1 / 16; scale /= 2) {
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    if (blob.size <= limit) return new Uint8Array(await blob.arrayBuffer());
  }
  throw new Error('the picture is too large to send to the engine');
}

/** Sends the picture; resolves with the path exports use. Rejects with the engine's error when it refuses the picture. */
export async function storeBackgroundPicture(api: StudioApi, file: File, bitmap: ImageBitmap): Promise<string> {
  const bytes = await backgroundUploadBytes(file, bitmap);
  const { path } = await api.storeBackgroundPicture({ name: file.name, base64: encodeBase64(bytes) });
  return path;
}
