/**
 * Sends one file over HTTP with the right content type and single-range support (`Range: bytes=…`), which
 * `<video>` needs to seek. Used for the static renderer bundle and by media routes.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

/** The Content-Type for a file name; `application/octet-stream` when unknown (never sniffed: see `nosniff`). */
export function contentTypeFor(filePath: string): string {
  return contentTypes[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** An inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against a file of `size` bytes.
 * @returns the range; `undefined` when the header is absent, malformed or asks for several ranges (the whole file is
 *   sent then, which RFC 9110 §14.2 permits); `'unsatisfiable'` when it lies wholly outside the file.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // Suffix form `bytes=-N`: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Options of {@link serveFile}. */
export interface ServeFileOptions {
  /** Overrides the type derived from the file name. */
  contentType?: string;
  /** @default 'no-cache' — the bundle and media change between runs; revalidating costs little on loopback. */
  cacheControl?: string;
}

/**
 * Streams `filePath` (an already-contained, trusted path) as the response to a GET or HEAD, honouring a single
 * `Range`. Responds 404 when the file vanished.
 */
export async function serveFile(request: IncomingMessage, response: ServerResponse, filePath: string, options: ServeFileOptions = {}): Promise<void> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    sendStatus(response, 404);
    return;
  }
  response.setHeader('Content-Type', options.contentType ?? contentTypeFor(filePath));
  response.setHeader('Cache-Control', options.cacheControl ?? 'no-cache');
  response.setHeader('Accept-Ranges', 'bytes');
  const range = parseRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    response.setHeader('Content-Range', `bytes */${size}`);
    sendStatus(response, 416);
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  response.statusCode = range ? 206 : 200;
  if (range) response.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  response.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (request.method === 'HEAD' || size === 0) {
    response.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath, { start, end }), response);
  } catch {
    // The client went away mid-stream (seeking in a video does this constantly); nothing to report.
    response.destroy();
  }
}

/** Ends a response with a status and its reason as plain text, revealing nothing else. */
export function sendStatus(response: ServerResponse, status: number, text?: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = text ?? `${status} ${STATUS_CODES[status] ?? ''}`.trim();
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Content-Length', String(Buffer.byteLength(body)));
  response.end(body);
}
