import { describe, expect, it, vi } from 'vitest';
import { createScrubLayerDecoder, type ScrubDecodeReply, type ScrubDecodeRequest, type ScrubWorkerLike } from './scrubLayerDecoder';
import { isWholeScrubBody, layMatteAsAlpha, type ScrubLayerPixels, type ScrubLayerShape } from './scrubLayerPixels';

const shape: ScrubLayerShape = { width: 2, height: 1, jpegBytes: 3 };
const body = () => new Uint8Array([1, 2, 3, 40, 50]);

/** Pixels whose picture records whether it was closed. */
function pixelsNamed(name: string) {
  const picture = { name, isClosed: false, close() { this.isClosed = true; } };
  return { cutout: new Uint8Array(8), picture: picture as unknown as ImageBitmap } satisfies ScrubLayerPixels;
}

/** A worker that keeps its requests until the test answers or fails them. */
function fakeWorker() {
  const listeners = new Map<string, Array<(event: unknown) => void>>();
  const requests: Array<{ message: ScrubDecodeRequest; transfer: Transferable[] }> = [];
  const worker: ScrubWorkerLike & { isTerminated: boolean } = {
    isTerminated: false,
    postMessage: (message: ScrubDecodeRequest, transfer: Transferable[]) => void requests.push({ message, transfer }),
    addEventListener: (type: string, listener: (event: never) => void) => void listeners.set(type, [...(listeners.get(type) ?? []), listener as (event: unknown) => void]),
    terminate() {
      this.isTerminated = true;
    },
  };
  const emit = (type: string, event: unknown) => listeners.get(type)?.forEach((listener) => listener(event));
  return { worker, requests, answer: (reply: ScrubDecodeReply) => emit('message', { data: reply }), fail: () => emit('error', new Event('error')) };
}

describe('scrub layer pixels', () => {
  it('lays the matte bytes after the JPEG in as alpha, in the read-back pixels, leaving colour alone', () => {
    const rgba = new Uint8Array([10, 20, 30, 255, 11, 21, 31, 255]);
    const cutout = layMatteAsAlpha(rgba, new Uint8Array([9, 9, 9, 0, 128]), 3);
    expect(cutout).toBe(rgba); // no copy of the frame's pixels
    expect([...cutout]).toEqual([10, 20, 30, 0, 11, 21, 31, 128]);
  });

  it('accepts only a body of exactly the announced JPEG and matte', () => {
    expect(isWholeScrubBody(shape, 5)).toBe(true);
    expect(isWholeScrubBody(shape, 4)).toBe(false);
    expect(isWholeScrubBody(shape, 6)).toBe(false);
    expect(isWholeScrubBody({ ...shape, jpegBytes: 0 }, 2)).toBe(false);
    expect(isWholeScrubBody({ width: Number.NaN, height: 1, jpegBytes: 3 }, 5)).toBe(false);
    expect(isWholeScrubBody({ width: 1.5, height: 2, jpegBytes: 2 }, 5)).toBe(false);
  });
});

describe('scrub layer decoder', () => {
  it('decodes in the worker, sending a transferred copy of the body, and says so', async () => {
    const { worker, requests, answer } = fakeWorker();
    const decodeOnPage = vi.fn();
    const decoder = createScrubLayerDecoder({ startWorker: () => worker, decodeOnPage });
    expect(decoder.path).toBe('none');
    const original = body();
    const result = decoder.decode(original, shape, new AbortController().signal);
    expect(requests).toHaveLength(1);
    const { message, transfer } = requests[0]!;
    expect(new Uint8Array(message.body)).toEqual(original);
    expect(message.body).not.toBe(original.buffer);
    expect(transfer).toEqual([message.body]);
    const pixels = pixelsNamed('frame');
    answer({ id: message.id, pixels });
    await expect(result).resolves.toBe(pixels);
    expect(decoder.path).toBe('worker');
    expect(decodeOnPage).not.toHaveBeenCalled();
  });

  it('answers each request with its own reply, whatever order the worker answers in', async () => {
    const { worker, requests, answer } = fakeWorker();
    const decoder = createScrubLayerDecoder({ startWorker: () => worker, decodeOnPage: vi.fn() });
    const signal = new AbortController().signal;
    const first = decoder.decode(body(), shape, signal);
    const second = decoder.decode(body(), shape, signal);
    const [a, b] = [pixelsNamed('a'), pixelsNamed('b')];
    answer({ id: requests[1]!.message.id, pixels: b });
    answer({ id: requests[0]!.message.id, pixels: a });
    await expect(first).resolves.toBe(a);
    await expect(second).resolves.toBe(b);
  });

  it('decodes on the page where no worker can start, and does not try again for every layer', async () => {
    const pixels = pixelsNamed('page');
    const decodeOnPage = vi.fn(async () => pixels);
    const startWorker = vi.fn(() => {
      throw new Error('workers are not allowed here');
    });
    const decoder = createScrubLayerDecoder({ startWorker, decodeOnPage });
    await expect(decoder.decode(body(), shape, new AbortController().signal)).resolves.toBe(pixels);
    await expect(decoder.decode(body(), shape, new AbortController().signal)).resolves.toBe(pixels);
    expect(startWorker).toHaveBeenCalledTimes(1);
    expect(decodeOnPage).toHaveBeenCalledTimes(2);
    expect(decoder.path).toBe('page');
  });

  it('when the worker fails, what it had not answered is decoded on the page, and so is every later layer', async () => {
    const { worker, fail } = fakeWorker();
    const pixels = pixelsNamed('page');
    const decodeOnPage = vi.fn(async (bytes: Uint8Array) => (bytes.length === 5 ? pixels : null));
    const decoder = createScrubLayerDecoder({ startWorker: () => worker, decodeOnPage });
    const stranded = decoder.decode(body(), shape, new AbortController().signal);
    fail();
    await expect(stranded).resolves.toBe(pixels);
    expect(worker.isTerminated).toBe(true);
    await expect(decoder.decode(body(), shape, new AbortController().signal)).resolves.toBe(pixels);
    expect(decodeOnPage).toHaveBeenCalledTimes(2);
    expect(decoder.path).toBe('page');
  });

  it('a reader that went away hears null at once, and the late picture is freed', async () => {
    const { worker, requests, answer } = fakeWorker();
    const decoder = createScrubLayerDecoder({ startWorker: () => worker, decodeOnPage: vi.fn() });
    const controller = new AbortController();
    const result = decoder.decode(body(), shape, controller.signal);
    controller.abort();
    await expect(result).resolves.toBeNull();
    const late = pixelsNamed('late');
    answer({ id: requests[0]!.message.id, pixels: late });
    expect((late.picture as unknown as { isClosed: boolean }).isClosed).toBe(true);
  });

  it('a malformed layer (the worker answers null) is null, and dispose ends the worker and every wait', async () => {
    const { worker, requests, answer } = fakeWorker();
    const decoder = createScrubLayerDecoder({ startWorker: () => worker, decodeOnPage: vi.fn() });
    const malformed = decoder.decode(body(), shape, new AbortController().signal);
    answer({ id: requests[0]!.message.id, pixels: null });
    await expect(malformed).resolves.toBeNull();
    const waiting = decoder.decode(body(), shape, new AbortController().signal);
    decoder.dispose();
    await expect(waiting).resolves.toBeNull();
    expect(worker.isTerminated).toBe(true);
  });
});
