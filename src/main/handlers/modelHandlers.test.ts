// The model requests over the real RPC pair, downloading from a loopback mirror (MATTE_STUDIO_MODEL_MIRROR's option
// form): progress events, cancel and resume with a Range request, a checksum mismatch that installs nothing, removal
// rules, and the studio's next matte following the installed models at once. Offline and a full disk are injected
// on the handlers directly.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StudioContract } from '../../shared/contract/studioContract';
import { StudioError } from '../../shared/errors';
import { modelSpecSchema, type ModelSpec } from '../../shared/modelTypes';
import type { HandlerContext } from '../../shared/rpc/defineContract';
import { rejectionOf } from '../../shared/rpc/testing/contractSuite';
import { createEngine } from '../engine';
import { ModelStore } from '../models/modelStore';
import { createModelHandlers } from './modelHandlers';
import { createStudioHarness, type StudioHarness } from './testing/studioHarness';

const bestBody = randomBytes(512 * 1024);
const half = bestBody.length / 2;
const bundledBody = randomBytes(4096);
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the mirror serves: `/mirror/<id>.onnx`. */
const files: Record<string, Buffer> = { 'test-best': bestBody, 'test-damaged': randomBytes(2048) };
const behaviour = { stallAfterHalf: false };
const requests: { path: string; range?: string }[] = [];
let server: Server;
let mirror: string;
let root: string;
let harness: StudioHarness;

function spec(fields: { id: string; name: string; tier: number; sizeBytes: number; bundled?: boolean; sha256?: string; commercialUse?: boolean }): ModelSpec {
  return modelSpecSchema.parse({
    id: fields.id,
    name: fields.name,
    family: 'u2net',
    tier: fields.tier,
    sizeBytes: fields.sizeBytes,
    input: { width: 320, height: 320, layout: 'NCHW' },
    normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    output: { needsSigmoid: false },
    licence: fields.commercialUse === false ? { id: 'CC-BY-NC-4.0', commercialUse: false } : { id: 'MIT', commercialUse: true },
    ...(fields.bundled ? { bundled: true } : { download: { url: `https://publisher.invalid/${fields.id}.onnx`, ...(fields.sha256 ? { sha256: fields.sha256, sizeBytes: fields.sizeBytes } : {}) } }),
  });
}

const catalog: ModelSpec[] = [
  spec({ id: 'test-bundled', name: 'Test bundled', tier: 10, sizeBytes: bundledBody.length, bundled: true }),
  spec({ id: 'test-best', name: 'Test best', tier: 90, sizeBytes: bestBody.length, sha256: sha256Of(bestBody) }),
  spec({ id: 'test-damaged', name: 'Test damaged', tier: 60, sizeBytes: 2048, sha256: '0'.repeat(64) }),
  spec({ id: 'test-non-commercial', name: 'Test non-commercial', tier: 50, sizeBytes: 9_000_000, commercialUse: false }),
];

function serve(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? '/';
  requests.push({ path, ...(request.headers.range ? { range: request.headers.range } : {}) });
  const body = files[/^\/mirror\/([\w-]+)\.onnx$/.exec(path)?.[1] ?? ''];
  if (!body) return void response.writeHead(404).end();
  const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
  const headers: Record<string, string | number> = { 'content-length': body.length - start, 'accept-ranges': 'bytes' };
  if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  response.writeHead(start > 0 ? 206 : 200, headers);
  // Stalling after the first half leaves the client a download to cancel.
  if (behaviour.stallAfterHalf && start === 0) response.write(body.subarray(0, half));
  else response.end(body.subarray(start));
}

async function waitForSize(path: string, bytes: number): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    if ((await stat(path).then((info) => info.size, () => 0)) >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${path} never reached ${bytes} bytes`);
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'matte-model-handlers-'));
  const bundledDir = join(root, 'bundled');
  await mkdir(bundledDir);
  await writeFile(join(bundledDir, 'test-bundled.onnx'), bundledBody);
  await writeFile(join(bundledDir, 'manifest.json'), JSON.stringify({ version: 1, models: [{ id: 'test-bundled', file: 'test-bundled.onnx', bytes: bundledBody.length }] }));
  const engine = createEngine({ bundledDir, userDir: join(root, 'user'), catalog, mirror, warn: () => {} });
  harness = createStudioHarness({ models: true, engine, matteCacheFolder: join(root, 'cache') });
  behaviour.stallAfterHalf = false;
  requests.length = 0;
});

afterEach(async () => {
  server.closeAllConnections();
  await harness.dispose();
  await rm(root, { recursive: true, force: true });
});

const entryOf = async (id: string) => (await harness.api.listModels({})).models.find((entry) => entry.spec.id === id);
const userFile = (id: string) => join(root, 'user', `${id}.onnx`);

describe('model requests over the RPC, downloading from a loopback mirror', () => {
  it('lists every catalogue model best first, with size, licence, state and whether it can be removed', async () => {
    const listing = await harness.api.listModels({});
    expect(listing.userFolder).toBe(join(root, 'user'));
    expect(listing.models.map((entry) => [entry.spec.id, entry.state, entry.source, entry.canRemove])).toEqual([
      ['test-best', 'available', null, false],
      ['test-damaged', 'available', null, false],
      ['test-non-commercial', 'available', null, false],
      ['test-bundled', 'installed', 'bundled', false],
    ]);
    const nonCommercial = listing.models.find((entry) => entry.spec.id === 'test-non-commercial')!;
    expect(nonCommercial).toMatchObject({ sizeBytes: 9_000_000, isSizeExact: false, partialBytes: 0, installJobId: null });
    expect(nonCommercial.spec.licence).toEqual({ id: 'CC-BY-NC-4.0', commercialUse: false });
    expect(listing.models[0]).toMatchObject({ sizeBytes: bestBody.length, isSizeExact: true });
  });

  it('installs from the mirror with progress events, and the next matte uses the new best model at once', async () => {
    // Resolve (and cache) the model key first, as a preview would have done just before the install.
    expect(await harness.studio.mattes.modelKey(undefined)).toBe(`test-bundled@${bundledBody.length}`);
    const { model } = await harness.api.installModel({ jobId: 'install-1', modelId: 'test-best' });
    expect(model).toMatchObject({ state: 'installed', source: 'downloaded', sizeBytes: bestBody.length, canRemove: true, installJobId: null });
    expect(requests.map((request) => request.path)).toEqual(['/mirror/test-best.onnx']);
    const progress = harness.progress.filter((event) => event.jobId === 'install-1');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((event) => event.stage === 'download' && event.item === 'Test best')).toBe(true);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(await harness.studio.mattes.modelKey(undefined)).toBe(`test-best@${bestBody.length}`);
    // Installing it again is a no-op that answers with the entry.
    expect((await harness.api.installModel({ jobId: 'install-2', modelId: 'test-best' })).model.state).toBe('installed');
    expect(requests).toHaveLength(1);
    expect(harness.serverErrors).toEqual([]);
  });

  it('cancel leaves a .part that the listing offers to resume, and the next install resumes it with a Range request', async () => {
    behaviour.stallAfterHalf = true;
    const install = rejectionOf(harness.api.installModel({ jobId: 'install-1', modelId: 'test-best' }));
    await waitForSize(`${userFile('test-best')}.part`, half);
    expect(await entryOf('test-best')).toMatchObject({ installJobId: 'install-1' });
    // The bytes came in a burst and then stopped: the last progress report still says half, not where it began.
    await expect.poll(() => harness.progress.filter((event) => event.jobId === 'install-1').at(-1)?.fraction).toBeCloseTo(0.5, 2);
    // A second install of the same model while one runs is refused in words.
    const twice = await rejectionOf(harness.api.installModel({ jobId: 'install-2', modelId: 'test-best' }));
    expect(twice).toMatchObject({ code: 'INVALID_INPUT', message: 'Test best is already being downloaded.' });
    expect(await harness.api.cancelModelInstall({ jobId: 'install-1' })).toEqual({ cancelled: true });
    expect((await install).code).toBe('CANCELLED');
    expect(existsSync(userFile('test-best'))).toBe(false);
    expect(await entryOf('test-best')).toMatchObject({ state: 'available', partialBytes: half, canRemove: true, installJobId: null });

    behaviour.stallAfterHalf = false;
    const { model } = await harness.api.installModel({ jobId: 'install-3', modelId: 'test-best' });
    expect(model.state).toBe('installed');
    expect(requests.at(-1)).toEqual({ path: '/mirror/test-best.onnx', range: `bytes=${half}-` });
    expect(harness.progress.find((event) => event.jobId === 'install-3')?.fraction).toBeCloseTo(0.5, 2);
    expect(existsSync(`${userFile('test-best')}.part`)).toBe(false);
    expect(await harness.api.cancelModelInstall({ jobId: 'install-3' })).toEqual({ cancelled: false });
  });

  it('a checksum mismatch is a typed error in words, and nothing is installed or kept', async () => {
    const error = await rejectionOf(harness.api.installModel({ jobId: 'install-1', modelId: 'test-damaged' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toBe('The downloaded Test damaged is damaged or not the expected file, so it was deleted.');
    expect(existsSync(userFile('test-damaged'))).toBe(false);
    expect(existsSync(`${userFile('test-damaged')}.part`)).toBe(false);
    expect(await entryOf('test-damaged')).toMatchObject({ state: 'available', partialBytes: 0 });
    expect(await harness.studio.mattes.modelKey(undefined)).toBe(`test-bundled@${bundledBody.length}`);
  });

  it('removes a downloaded model (the next matte falls back at once) and refuses bundled and unknown ones', async () => {
    await harness.api.installModel({ jobId: 'install-1', modelId: 'test-best' });
    expect(await harness.studio.mattes.modelKey(undefined)).toBe(`test-best@${bestBody.length}`);
    expect(await harness.api.removeModel({ modelId: 'test-best' })).toEqual({ freedBytes: bestBody.length });
    expect(existsSync(userFile('test-best'))).toBe(false);
    expect(await entryOf('test-best')).toMatchObject({ state: 'available', canRemove: false });
    expect(await harness.studio.mattes.modelKey(undefined)).toBe(`test-bundled@${bundledBody.length}`);

    const bundled = await rejectionOf(harness.api.removeModel({ modelId: 'test-bundled' }));
    expect(bundled).toMatchObject({ code: 'INVALID_INPUT', message: 'Test bundled ships with Matte Studio and cannot be removed.' });
    expect(existsSync(join(root, 'bundled', 'test-bundled.onnx'))).toBe(true);
    expect(await rejectionOf(harness.api.removeModel({ modelId: 'test-best' }))).toMatchObject({ code: 'MODEL_MISSING', message: 'Test best is not installed.' });
    expect(await rejectionOf(harness.api.removeModel({ modelId: 'no-such-model' }))).toMatchObject({ code: 'MODEL_MISSING', message: 'No model called “no-such-model” is known.' });
    expect(await rejectionOf(harness.api.installModel({ jobId: 'install-2', modelId: '../../etc/passwd' }))).toMatchObject({ code: 'MODEL_MISSING' });
  });

  it('removing a model that only has a partial download discards the .part', async () => {
    await mkdir(join(root, 'user'), { recursive: true });
    await writeFile(`${userFile('test-best')}.part`, bestBody.subarray(0, 1000));
    expect(await entryOf('test-best')).toMatchObject({ partialBytes: 1000, canRemove: true });
    expect(await harness.api.removeModel({ modelId: 'test-best' })).toEqual({ freedBytes: 1000 });
    expect(existsSync(`${userFile('test-best')}.part`)).toBe(false);
  });
});

describe('model installs that fail on the way', () => {
  const context = (): HandlerContext<StudioContract> => ({ signal: new AbortController().signal, method: 'installModel', emit: () => {} });

  it('offline: MODEL_DOWNLOAD_FAILED with a sentence that names the model and the connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const models = new ModelStore({ bundledDir: join(root, 'none'), userDir: join(root, 'offline'), catalog, mirror: `http://127.0.0.1:${port}`, warn: () => {} });
    const { handlers } = createModelHandlers({ models });
    const error = await rejectionOf(Promise.resolve(handlers.installModel({ jobId: 'job', modelId: 'test-best' }, context())));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toBe('Could not download Test best: the server could not be reached or the connection broke. Check the internet connection and try again.');
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk: DISK_FULL in words, and the model is not installed', async () => {
    const userDir = join(root, 'full');
    await mkdir(userDir);
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    await symlink('/dev/full', join(userDir, 'test-best.onnx.part'));
    const models = new ModelStore({ bundledDir: join(root, 'none'), userDir, catalog, mirror, warn: () => {} });
    const { handlers } = createModelHandlers({ models });
    const error = await rejectionOf(Promise.resolve(handlers.installModel({ jobId: 'job', modelId: 'test-best' }, context())));
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ code: 'DISK_FULL', message: 'There is not enough disk space to download Test best.' });
    expect((await models.listModels()).installed).toEqual([]);
  });

  it('a bundled model missing from this build cannot be downloaded, and says how to restore it', async () => {
    const models = new ModelStore({ bundledDir: join(root, 'none'), userDir: join(root, 'user'), catalog, mirror, warn: () => {} });
    const { handlers } = createModelHandlers({ models });
    expect((await handlers.listModels({}, context())).models.find((entry) => entry.spec.id === 'test-bundled')).toMatchObject({ state: 'unavailable', canRemove: false });
    const error = await rejectionOf(Promise.resolve(handlers.installModel({ jobId: 'job', modelId: 'test-bundled' }, context())));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^Test bundled ships with Matte Studio and is not downloaded separately/);
    expect(requests).toEqual([]);
  });

  it('a mirror that is not a web address is named in the error', async () => {
    const models = new ModelStore({ bundledDir: join(root, 'none'), userDir: join(root, 'bad'), catalog, mirror: 'ftp://mirror', warn: () => {} });
    const error = await rejectionOf(Promise.resolve(createModelHandlers({ models }).handlers.installModel({ jobId: 'job', modelId: 'test-best' }, context())));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'The model mirror “ftp://mirror” (MATTE_STUDIO_MODEL_MIRROR) is not an http or https address.' });
  });
});
