/**
 * Decodes scrub layers in a worker (`scrubLayerWorker.ts`), so playback's per-layer pixel loops stay off the page's
 * thread. The worker starts with the first layer. Where none can be started, or it fails (a shell that refuses
 * workers, a worker script that does not load), layers are decoded on the page as before and the studio goes on:
 * `path` says which one the last layer took.
 */
import { decodeScrubLayerPixels, type ScrubLayerPixels, type ScrubLayerShape } from './scrubLayerPixels';

/** A request to the worker: a copy of the body is transferred, so the page can still decode it if the worker fails. */
export interface ScrubDecodeRequest {
  readonly id: number;
  readonly body: ArrayBuffer;
  readonly shape: ScrubLayerShape;
}

/** The worker's answer: the pixels (transferred), or null for a malformed body. */
export interface ScrubDecodeReply {
  readonly id: number;
  readonly pixels: ScrubLayerPixels | null;
  readonly error?: string;
}

/** As much of a `Worker` as the decoder uses. */
export interface ScrubWorkerLike {
  postMessage(message: ScrubDecodeRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: ScrubDecodeReply }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: unknown) => void): void;
  terminate(): void;
}

/** Where layers are decoded: in the worker, on the page, or none decoded yet. */
export type ScrubDecodePath = 'worker' | 'page' | 'none';

/** The decoder. */
export interface ScrubLayerDecoder {
  /** The layer's pixels, or null when the body is malformed or `signal` aborted first. */
  decode(body: Uint8Array<ArrayBuffer>, shape: ScrubLayerShape, signal: AbortSignal): Promise<ScrubLayerPixels | null>;
  /** Where the last layer was decoded. */
  readonly path: ScrubDecodePath;
  dispose(): void;
}

/** What {@link createScrubLayerDecoder} may be given instead of the real worker and page decoding (tests). */
export interface ScrubLayerDecoderOptions {
  /** Starts the worker; null (or a throw) when this shell has none. */
  startWorker?: () => ScrubWorkerLike | null;
  decodeOnPage?: typeof decodeScrubLayerPixels;
}

/** The scrub-layer worker, as Vite bundles it (the `new URL(…, import.meta.url)` form is what it looks for). */
function startScrubWorker(): ScrubWorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('./scrubLayerWorker.ts', import.meta.url), { type: 'module', name: 'scrub layers' }) as unknown as ScrubWorkerLike;
}

interface PendingDecode {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly shape: ScrubLayerShape;
  readonly signal: AbortSignal;
  readonly resolve: (pixels: ScrubLayerPixels | null) => void;
  readonly reject: (error: unknown) => void;
}

/** Creates a decoder. */
export function createScrubLayerDecoder(options: ScrubLayerDecoderOptions = {}): ScrubLayerDecoder {
  const startWorker = options.startWorker ?? startScrubWorker;
  const decodeOnPage = options.decodeOnPage ?? decodeScrubLayerPixels;
  let worker: ScrubWorkerLike | null = null;
  let isWorkerUnusable = false;
  let path: ScrubDecodePath = 'none';
  let nextId = 1;
  const pending = new Map<number, PendingDecode>();

  function onPage(body: Uint8Array<ArrayBuffer>, shape: ScrubLayerShape, signal: AbortSignal): Promise<ScrubLayerPixels | null> {
    path = 'page';
    return decodeOnPage(body, shape).then((pixels) => settle(pixels, signal));
  }

  /** The pixels, unless the reader went away meanwhile (then the picture is freed at once). */
  function settle(pixels: ScrubLayerPixels | null, signal: AbortSignal): ScrubLayerPixels | null {
    if (pixels && signal.aborted) {
      pixels.picture.close();
      return null;
    }
    return pixels;
  }

  /** The worker failed: it is not used again, and what it had not answered is decoded on the page. */
  function giveUpWorker(): void {
    isWorkerUnusable = true;
    worker?.terminate();
    worker = null;
    const stranded = [...pending.values()];
    pending.clear();
    for (const request of stranded) onPage(request.body, request.shape, request.signal).then(request.resolve, request.reject);
  }

  function workerOrNull(): ScrubWorkerLike | null {
    if (worker || isWorkerUnusable) return worker;
    try {
      worker = startWorker();
    } catch {
      worker = null;
    }
    if (!worker) {
      isWorkerUnusable = true;
      return null;
    }
    worker.addEventListener('message', ({ data }) => {
      const request = pending.get(data.id);
      pending.delete(data.id);
      if (!request) {
        data.pixels?.picture.close();
        return;
      }
      path = 'worker';
      request.resolve(settle(data.pixels, request.signal));
    });
    worker.addEventListener('error', giveUpWorker);
    worker.addEventListener('messageerror', giveUpWorker);
    return worker;
  }

  return {
    decode(body, shape, signal) {
      if (signal.aborted) return Promise.resolve(null);
      const target = workerOrNull();
      if (!target) return onPage(body, shape, signal);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { body, shape, signal, resolve, reject });
        // The reader went away: it hears null now; the worker's late answer is dropped (its picture freed).
        signal.addEventListener('abort', () => {
          if (pending.delete(id)) resolve(null);
        }, { once: true });
        const copy = body.slice().buffer;
        target.postMessage({ id, body: copy, shape }, [copy]);
      });
    },
    get path() {
      return path;
    },
    dispose() {
      worker?.terminate();
      worker = null;
      isWorkerUnusable = true;
      for (const request of pending.values()) request.resolve(null);
      pending.clear();
    },
  };
}
