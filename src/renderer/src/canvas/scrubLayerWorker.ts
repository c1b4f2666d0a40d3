/**
 * The scrub-layer worker: decodes scrub layers (`scrubLayerPixels.ts`) off the page's thread. Reading a frame back
 * and laying its matte in is some 10 ms of pixel loops per layer, a layer per played frame, and on the page's thread
 * that time was taken from painting. Messages are `ScrubDecodeRequest` in and `ScrubDecodeReply` out
 * (`scrubLayerDecoder.ts`); the pixels and the picture are transferred, not copied.
 */
import { decodeScrubLayerPixels } from './scrubLayerPixels';
import type { ScrubDecodeReply, ScrubDecodeRequest } from './scrubLayerDecoder';

/** The worker's global scope, as much of it as this file uses (the renderer is typed against the page's DOM). */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ScrubDecodeRequest>) => void) | null;
  postMessage(message: ScrubDecodeReply, transfer: Transferable[]): void;
};

scope.onmessage = ({ data: { id, body, shape } }) => {
  void decodeScrubLayerPixels(new Uint8Array(body), shape).then(
    (pixels) => scope.postMessage({ id, pixels }, pixels ? [pixels.cutout.buffer, pixels.picture] : []),
    (error: unknown) => scope.postMessage({ id, pixels: null, error: String(error) }, []),
  );
};
