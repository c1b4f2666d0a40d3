// Resumable model downloads over node:http/https (no dependencies, and the same code paths in Electron, the web shell
// and the CLI). Bytes go to `<file>.part`, which survives a cancel or a dropped connection so the next attempt resumes
// with `Range: bytes=N-`; only a complete file whose sha256 matches is renamed to its final name, so a half model
// can never be loaded.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError, cancelledError, throwIfCancelled } from '../../shared/errors';
import type { JobControl } from '../../shared/jobs';
import type { InstalledModel, ModelSpec } from '../../shared/modelTypes';
import { throttleDownloadProgress } from './downloadProgress';
import type { ModelStore } from './modelStore';
import { makeFolder } from '../files/makeFolder';

/** What to fetch and where to put it. */
export interface DownloadFileRequest {
  url: string;
  /** Final path; the partial file is `<destination>.part`. */
  destination: string;
  /** Expected lower-case hex sha256; a mismatch rejects with `CHECKSUM_MISMATCH` and removes the file. */
  sha256?: string;
  /** Size to report progress against when the server sends no length. */
  expectedBytes?: number;
  /** Name shown to the user in messages and progress. @default the file name in the URL */
  label?: string;
  /** @default 5 */
  maxRedirects?: number;
  /** A connection silent for this long is dropped. @default 60000 */
  idleTimeoutMs?: number;
}

/** A completed download. */
export interface DownloadFileResult {
  path: string;
  bytes: number;
  /** sha256 of the whole file as computed while downloading. */
  sha256: string;
  /** True when an existing `.part` was continued rather than restarted. */
  resumed: boolean;
}

/** Where the bytes of an unfinished download of `destination` wait for a resume. */
export function partialPathOf(destination: string): string {
  return `${destination}.part`;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Destinations being written right now: two writers on one `.part` would interleave bytes. */
const activeDestinations = new Set<string>();

function downloadFailed(label: string, reason: string, detail: string, cause?: unknown): StudioError {
  return new StudioError('MODEL_DOWNLOAD_FAILED', `Could not download ${label}: ${reason}`, detail, { cause });
}

function statusReason(status: number): string {
  if (status === 404 || status === 410) return `the file was not found on the server (HTTP ${status}).`;
  if (status === 401 || status === 403) return `the server refused access (HTTP ${status}).`;
  if (status >= 500) return `the server had a problem (HTTP ${status}). Try again later.`;
  return `the server answered HTTP ${status}.`;
}

/** Sends one GET, following redirects, and resolves with the final response (status not yet checked). */
async function request(url: string, offset: number, control: { label: string; signal?: AbortSignal; maxRedirects: number; idleTimeoutMs: number }): Promise<{ response: IncomingMessage; url: string }> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const get = current.protocol === 'https:' ? httpsGet : current.protocol === 'http:' ? httpGet : undefined;
      if (!get) return reject(downloadFailed(control.label, 'the download address is not http or https.', current.href));
      const headers: Record<string, string> = { 'user-agent': 'MatteStudio', 'accept-encoding': 'identity' };
      if (offset > 0) headers.range = `bytes=${offset}-`;
      const outgoing = get(current, { headers, signal: control.signal }, resolve);
      outgoing.setTimeout(control.idleTimeoutMs, () => outgoing.destroy(new Error(`no data for ${control.idleTimeoutMs} ms`)));
      outgoing.on('error', reject);
    });
    const location = response.headers.location;
    if (!redirectStatuses.has(response.statusCode ?? 0) || !location) return { response, url: current.href };
    response.resume();
    if (redirects >= control.maxRedirects) throw downloadFailed(control.label, 'the server redirected too many times.', `more than ${control.maxRedirects} redirects from ${url}`);
    current = new URL(location, current);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Where a 206 says its bytes start, and the full length when stated. */
function parseContentRange(value: string | undefined): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] !== '*' ? { total: Number(match[2]) } : {}) };
}

async function hashExisting(path: string, hash: Hash, signal?: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

/** Streams the body to the `.part` file, hashing and reporting progress on the way. */
async function writeBody(response: IncomingMessage, partPath: string, append: boolean, hash: Hash, progress: (written: number) => void, signal?: AbortSignal): Promise<void> {
  let written = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      written += chunk.length;
      progress(written);
      done(null, chunk);
    },
  });
  const file = createWriteStream(partPath, { flags: append ? 'a' : 'w' });
  try {
    await pipeline(response, meter, file, ...(signal ? [{ signal }] : []));
  } finally {
    // Wait for the descriptor to close so a resume that stats the `.part` next sees every byte that was written.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
  }
}

/** Makes the renamed file durable: a crash right after the rename must not leave a truncated model. */
async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Downloads `request.url` to `request.destination`, resuming a `.part` left by an earlier attempt when the server
 * supports ranges (206) and restarting from zero when it does not (200). Rejects with `CANCELLED` (the `.part` is kept
 * for resume), `CHECKSUM_MISMATCH` (the file is removed), `DISK_FULL` or `MODEL_DOWNLOAD_FAILED`.
 */
export async function downloadFile(request_: DownloadFileRequest, control: JobControl = {}): Promise<DownloadFileResult> {
  const { url, destination } = request_;
  const { signal } = control;
  const label = request_.label ?? (new URL(url).pathname.split('/').pop() || url);
  const partPath = partialPathOf(destination);
  throwIfCancelled(signal, `Downloading ${label}`);
  if (activeDestinations.has(destination)) throw new StudioError('INVALID_INPUT', `${label} is already being downloaded.`, destination);
  activeDestinations.add(destination);
  const progress = throttleDownloadProgress(control.onProgress);
  const { report } = progress;
  try {
    await makeFolder(dirname(destination));
    const options = { label, signal, maxRedirects: request_.maxRedirects ?? 5, idleTimeoutMs: request_.idleTimeoutMs ?? 60_000 };
    let offset = await fileSize(partPath);
    let { response, url: finalUrl } = await request(url, offset, options);
    let range = parseContentRange(response.headers['content-range']);
    // 416: the `.part` is as long as the file or longer; a 206 from elsewhere than our offset: not our bytes. Either
    // way the `.part` cannot be continued, so start again from zero.
    if (offset > 0 && (response.statusCode === 416 || (response.statusCode === 206 && range?.start !== offset))) {
      response.resume();
      offset = 0;
      ({ response, url: finalUrl } = await request(url, 0, options));
      range = parseContentRange(response.headers['content-range']);
    }
    const status = response.statusCode ?? 0;
    if (status !== 200 && !(status === 206 && offset > 0)) {
      response.resume();
      throw downloadFailed(label, statusReason(status), `GET ${finalUrl} (Range from ${offset}) answered ${status}`);
    }
    // A 200 to a Range request means the server ignores ranges: the body is the whole file, so overwrite the `.part`.
    const resumed = status === 206;
    if (!resumed) offset = 0;
    const hash = createHash('sha256');
    if (resumed) await hashExisting(partPath, hash, signal);
    const length = Number(response.headers['content-length']);
    const declaredTotal = resumed ? range?.total : Number.isInteger(length) && length > 0 ? length : undefined;
    const total = declaredTotal ?? request_.expectedBytes;
    report({ stage: 'download', fraction: total ? offset / total : 0, item: label });
    // Capped below 1 while bytes flow, so the only report at 1 is the one after the file is verified and in place.
    const onBytes = (written: number) => report({ stage: 'download', fraction: total ? Math.min((offset + written) / total, 0.999) : 0, item: label });
    await writeBody(response, partPath, resumed, hash, onBytes, signal);
    const bytes = await fileSize(partPath);
    if (declaredTotal !== undefined && bytes !== declaredTotal) {
      throw downloadFailed(label, 'the connection ended before the whole file arrived. Try again to resume.', `${bytes} of ${declaredTotal} bytes from ${finalUrl}`);
    }
    const sha256 = hash.digest('hex');
    if (request_.sha256 && sha256 !== request_.sha256.toLowerCase()) {
      await rm(partPath, { force: true });
      throw new StudioError('CHECKSUM_MISMATCH', `The downloaded ${label} is damaged or not the expected file, so it was deleted.`, `sha256 ${sha256}, expected ${request_.sha256} (${finalUrl})`);
    }
    await flushToDisk(partPath);
    await rename(partPath, destination);
    report({ stage: 'download', fraction: 1, item: label });
    return { path: destination, bytes, sha256, resumed };
  } catch (error) {
    if (signal?.aborted) throw cancelledError(`Downloading ${label}`);
    if (error instanceof StudioError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new StudioError('DISK_FULL', `There is not enough disk space to download ${label}.`, (error as Error).message, { cause: error });
    throw downloadFailed(label, 'the server could not be reached or the connection broke. Check the internet connection and try again.', `${code ?? ''} ${(error as Error).message} (${url})`.trim(), error);
  } finally {
    progress.stop();
    activeDestinations.delete(destination);
  }
}

/**
 * Installs a catalogue model (by id, or a spec with a `download`) into the user folder as `<id>.onnx` and registers it
 * in the user index. Downloads from the store's mirror when one is set. Progress and cancellation as
 * {@link downloadFile}.
 */
export async function downloadModel(store: ModelStore, model: string | ModelSpec, control: JobControl = {}): Promise<InstalledModel> {
  const spec = typeof model === 'string' ? store.findKnownModel(model) : model;
  if (!spec) throw new StudioError('MODEL_MISSING', `No model called “${String(model)}” is known.`, `unknown model id ${String(model)}`);
  const url = store.downloadUrl(spec);
  if (!spec.download || !url) throw new StudioError('INVALID_INPUT', `${spec.name} is not downloadable: it ships with Matte Studio or was added by hand.`, `model ${spec.id} has no download`);
  const result = await downloadFile(
    {
      url,
      destination: store.userModelPath(spec.id),
      label: spec.name,
      expectedBytes: spec.download.sizeBytes ?? spec.sizeBytes,
      ...(spec.download.sha256 ? { sha256: spec.download.sha256 } : {}),
    },
    control,
  );
  return store.registerDownload(spec, { bytes: result.bytes, sha256: result.sha256, url });
}
