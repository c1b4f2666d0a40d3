// A model mirror on 127.0.0.1 for the specs (the studio reads it from MATTE_STUDIO_MODEL_MIRROR): serves
// `/<id>.onnx` with Range support, and can stall a download halfway so a spec has one to cancel.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running mirror. */
export interface LocalModelMirror {
  /** The base address to put in MATTE_STUDIO_MODEL_MIRROR. */
  readonly url: string;
  /** Every request, in order, with its Range header. */
  readonly requests: { path: string; range?: string }[];
  /** While true, a download from the start sends half the file and then waits until the client goes away. */
  stallAfterHalf: boolean;
  close(): Promise<void>;
}

/** Starts a mirror serving `files` (model id → bytes). */
export async function startLocalModelMirror(files: Record<string, Buffer>): Promise<LocalModelMirror> {
  const requests: LocalModelMirror['requests'] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, ...(request.headers.range ? { range: request.headers.range } : {}) });
    const body = files[/^\/([\w.-]+)\.onnx$/.exec(path)?.[1] ?? ''];
    if (!body) return void response.writeHead(404).end();
    const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'content-length': body.length - start, 'accept-ranges': 'bytes' };
    if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    response.writeHead(start > 0 ? 206 : 200, headers);
    if (mirror.stallAfterHalf && start === 0) response.write(body.subarray(0, body.length / 2));
    else response.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const mirror: LocalModelMirror = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stallAfterHalf: false,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return mirror;
}
