import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import type { JobProgress } from '../../shared/jobs';
import { modelSpecSchema } from '../../shared/modelTypes';
import { downloadFile, downloadModel } from './downloadModel';
import { ModelStore } from './modelStore';
import { readUserIndex } from './userModelIndex';

const body = randomBytes(256 * 1024);
const bodySha256 = createHash('sha256').update(body).digest('hex');
const half = body.length / 2;

/** How the local server behaves for the next requests. */
const behaviour = { honourRange: true, stallAfterHalf: false, dropAfterHalf: false };
const requests: { path: string; range?: string }[] = [];
let server: Server;
let baseUrl: string;
let dir: string;

function serveModel(request: IncomingMessage, response: ServerResponse): void {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = behaviour.honourRange && match ? Number(match[1]) : 0;
  if (start >= body.length) {
    response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    return;
  }
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'content-length': body.length - start, 'accept-ranges': 'bytes' };
  if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  response.writeHead(start > 0 ? 206 : 200, headers);
  if (!behaviour.stallAfterHalf && !behaviour.dropAfterHalf) {
    response.end(body.subarray(start));
    return;
  }
  // Send the first half, then either hang (the client must cancel) or cut the connection.
  response.write(body.subarray(start, Math.max(start, half)), () => {
    if (behaviour.dropAfterHalf) response.socket?.destroy();
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, ...(request.headers.range ? { range: request.headers.range } : {}) });
    const redirect = /^\/redirect\/(\d+)$/.exec(path);
    if (path === '/model.onnx') serveModel(request, response);
    else if (redirect) response.writeHead(302, { location: Number(redirect[1]) > 0 ? `/redirect/${Number(redirect[1]) - 1}` : '/model.onnx' }).end();
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  Object.assign(behaviour, { honourRange: true, stallAfterHalf: false, dropAfterHalf: false });
  requests.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'matte-download-'));
});

afterEach(async () => {
  server.closeAllConnections();
  await rm(dir, { recursive: true, force: true });
});

async function waitForSize(path: string, bytes: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const size = await stat(path).then((info) => info.size, () => 0);
    if (size >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${path} never reached ${bytes} bytes`);
}

describe('downloadFile', () => {
  it('downloads the whole file, reports progress ending at 1 and leaves no .part', async () => {
    const destination = join(dir, 'model.onnx');
    const progress: JobProgress[] = [];
    const result = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 }, { onProgress: (event) => progress.push(event) });
    expect(result).toEqual({ path: destination, bytes: body.length, sha256: bodySha256, resumed: false });
    expect((await readFile(destination)).equals(body)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(progress.slice(0, -1).every((event) => event.fraction < 1)).toBe(true);
    const fractions = progress.map((event) => event.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('rejects a checksum mismatch with CHECKSUM_MISMATCH and removes the file', async () => {
    const destination = join(dir, 'model.onnx');
    const error = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: '0'.repeat(64) }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'CHECKSUM_MISMATCH')).toBe(true);
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('keeps only a .part when cancelled, then resumes with a Range request to the right hash', async () => {
    const destination = join(dir, 'model.onnx');
    behaviour.stallAfterHalf = true;
    const controller = new AbortController();
    const first = downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 }, { signal: controller.signal }).catch((caught: unknown) => caught);
    await waitForSize(`${destination}.part`, half);
    controller.abort();
    expect(isStudioError(await first, 'CANCELLED')).toBe(true);
    expect(existsSync(destination)).toBe(false);
    expect((await stat(`${destination}.part`)).size).toBe(half);

    behaviour.stallAfterHalf = false;
    const result = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 });
    expect(result.resumed).toBe(true);
    expect(result.sha256).toBe(bodySha256);
    expect(requests.at(-1)?.range).toBe(`bytes=${half}-`);
    expect((await readFile(destination)).equals(body)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('restarts from zero when the server answers 200 to a Range request', async () => {
    const destination = join(dir, 'model.onnx');
    await writeFile(`${destination}.part`, Buffer.alloc(1000, 0xff));
    behaviour.honourRange = false;
    const result = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 });
    expect(requests[0]?.range).toBe('bytes=1000-');
    expect(result.resumed).toBe(false);
    expect((await readFile(destination)).equals(body)).toBe(true);
  });

  it('restarts when the .part is already as long as the file (416)', async () => {
    const destination = join(dir, 'model.onnx');
    await writeFile(`${destination}.part`, Buffer.alloc(body.length + 10, 0xff));
    const result = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 });
    expect(requests.map((entry) => entry.range)).toEqual([`bytes=${body.length + 10}-`, undefined]);
    expect(result.sha256).toBe(bodySha256);
  });

  it('follows relative redirects, up to five', async () => {
    const destination = join(dir, 'model.onnx');
    const result = await downloadFile({ url: `${baseUrl}/redirect/4`, destination, sha256: bodySha256 });
    expect(result.sha256).toBe(bodySha256);
    expect(requests.map((entry) => entry.path)).toEqual(['/redirect/4', '/redirect/3', '/redirect/2', '/redirect/1', '/redirect/0', '/model.onnx']);
  });

  it('gives up after more than five redirects', async () => {
    const error = await downloadFile({ url: `${baseUrl}/redirect/5`, destination: join(dir, 'model.onnx') }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/redirected too many times/);
  });

  it('turns a 404 into MODEL_DOWNLOAD_FAILED with a plain message and writes nothing', async () => {
    const destination = join(dir, 'model.onnx');
    const error = await downloadFile({ url: `${baseUrl}/missing.onnx`, destination, label: 'BiRefNet' }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toBe('Could not download BiRefNet: the file was not found on the server (HTTP 404).');
    expect((error as { detail?: string }).detail).toContain('/missing.onnx');
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('reports a dropped connection as MODEL_DOWNLOAD_FAILED and keeps the .part for a resume', async () => {
    const destination = join(dir, 'model.onnx');
    behaviour.dropAfterHalf = true;
    const error = await downloadFile({ url: `${baseUrl}/model.onnx`, destination, sha256: bodySha256 }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect(existsSync(destination)).toBe(false);
    expect((await stat(`${destination}.part`)).size).toBeLessThanOrEqual(half);
  });

  it('reports an unreachable server as MODEL_DOWNLOAD_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await downloadFile({ url: `http://127.0.0.1:${port}/model.onnx`, destination: join(dir, 'model.onnx') }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((error as { detail?: string }).detail).toContain('ECONNREFUSED');
  });
});

describe('downloadModel', () => {
  it('installs a model into the user folder and registers it in the index', async () => {
    const userDir = join(dir, 'user');
    const store = new ModelStore({ userDir, bundledDir: join(dir, 'no-bundled'), warn: () => {} });
    const spec = modelSpecSchema.parse({
      id: 'test-model',
      name: 'Test model',
      family: 'u2net',
      tier: 20,
      sizeBytes: body.length,
      input: { width: 320, height: 320, layout: 'NCHW' },
      normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      output: { needsSigmoid: false },
      licence: { id: 'Apache-2.0', commercialUse: true },
      download: { url: `${baseUrl}/model.onnx`, sha256: bodySha256 },
    });
    const installed = await downloadModel(store, spec);
    expect(installed).toMatchObject({ source: 'downloaded', path: join(userDir, 'test-model.onnx'), bytes: body.length, sha256: bodySha256 });
    const { index } = await readUserIndex(userDir, () => {});
    expect(index.models).toEqual([expect.objectContaining({ id: 'test-model', file: 'test-model.onnx', sha256: bodySha256, url: `${baseUrl}/model.onnx` })]);
    expect((await store.listModels()).installed.map((model) => model.spec.id)).toEqual(['test-model']);
  });

  it('refuses an unknown id and a model without a download', async () => {
    const store = new ModelStore({ userDir: join(dir, 'user'), bundledDir: join(dir, 'none'), warn: () => {} });
    expect(isStudioError(await downloadModel(store, 'no-such-model').catch((caught: unknown) => caught), 'MODEL_MISSING')).toBe(true);
    expect(isStudioError(await downloadModel(store, 'isnet-fp16').catch((caught: unknown) => caught), 'INVALID_INPUT')).toBe(true);
    expect(requests).toEqual([]);
  });
});
