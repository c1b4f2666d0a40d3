/**
 * The studio's media routes, transport-neutral: the web shell's `/media` HTTP route and Electron's `app://media`
 * protocol both hand a path (with its query) and the Range header to the same handler and send back what it returns.
 *
 * - `/media/thumb/<itemId>`: JPEG, long side ≤ 256 px.
 * - `/media/frame/<itemId>/<frameIndex>?maxSide=<n>`: JPEG (stills: frame 0), long side ≤ maxSide (default 640).
 * - `/media/preview/<previewId>/<cutout|heatmap>`: raw bytes, `application/octet-stream`, with `X-Width`,
 *   `X-Height`, `X-Channels` (4, 1, 4).
 * - `/media/scrub/<itemId>/<frameIndex>`: a clip frame's proxy JPEG (`X-Jpeg-Bytes` long) followed by its cached matte
 *   at that size, one byte per pixel (`X-Width`, `X-Height`, `X-Channels: 1`, plus `X-Matte-Tier`, `X-Matte-Model`,
 *   `X-Matte-Ep`, `X-Matte-Quality`); 404 while the frame has no cached matte.
 * - `/media/source/<itemId>`: the opened file itself, with single-range support (video seeking).
 * - `/media/background/<file>`: a background picture the engine keeps (`storeBackgroundPicture`), by its kept name.
 *
 * Containment: only files the user opened are served, looked up by id; a path never comes from the request. Anything
 * unknown or malformed is a plain 404, never a stack trace.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isStudioError } from '../../shared/errors';
import { contentTypeFor, parseRange } from './serveFile';
import { proxySide } from '../handlers/frameImages';
import { previewLayerNames } from '../handlers/previewRenderer';
import type { StudioService } from '../handlers/studioService';

/** What a media request gets back; the shell writes it out as it is. */
export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
}

/** Answers one media request. Never rejects. */
export type MediaHandler = (pathWithQuery: string, request?: { range?: string }) => Promise<MediaResponse>;

const layerChannels = { cutout: 4, heatmap: 1 } as const;
/** Custom headers a cross-origin page (Electron's `app://renderer` fetching `app://media`) may read. */
const exposedHeaders = 'X-Width, X-Height, X-Channels, Content-Range, Content-Length';

/** Builds the media handler over a studio service. */
export function createMediaRouter(studio: StudioService, options: { onError?: (error: unknown) => void } = {}): MediaHandler {
  return async (pathWithQuery, request = {}) => {
    try {
      return (await route(studio, pathWithQuery, request.range)) ?? status(404);
    } catch (error) {
      if (isStudioError(error, 'FILE_NOT_FOUND', 'INVALID_INPUT')) return status(404);
      options.onError?.(error);
      return status(isStudioError(error, 'DECODE_FAILED', 'UNSUPPORTED_FORMAT', 'FILE_EMPTY') ? 422 : 500);
    }
  };
}

async function route(studio: StudioService, pathWithQuery: string, range: string | undefined): Promise<MediaResponse | undefined> {
  const queryStart = pathWithQuery.indexOf('?');
  const path = queryStart < 0 ? pathWithQuery : pathWithQuery.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : pathWithQuery.slice(queryStart + 1));
  const segments = path.split('/').map(decodeSegment);
  if (segments[0] !== '' || segments[1] !== 'media' || segments.some((segment) => segment === undefined)) return undefined;
  const [, , kind, id = '', ...rest] = segments as string[];
  switch (kind) {
    case 'thumb': {
      const item = rest.length === 0 ? studio.items.find(id) : undefined;
      return item && jpeg(await studio.frames.thumbnail(item));
    }
    case 'frame': {
      const item = rest.length === 1 ? studio.items.find(id) : undefined;
      const frameIndex = parseWhole(rest[0]);
      const maxSide = query.has('maxSide') ? parseWhole(query.get('maxSide') ?? '') : proxySide;
      if (!item || frameIndex === undefined) return undefined;
      if (maxSide === undefined || maxSide < 1 || maxSide > 8192) return status(400);
      // A user looking at frames (scrubbing, stepping): background matting holds back, as for any user request.
      return jpeg(await studio.mattes.activity.run(() => studio.frames.frame(item, frameIndex, maxSide)));
    }
    case 'preview': {
      const layer = rest[0] as (typeof previewLayerNames)[number];
      const preview = rest.length === 1 && previewLayerNames.includes(layer) ? studio.previews.find(id) : undefined;
      if (!preview) return undefined;
      const bytes = preview[layer];
      return {
        status: 200,
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(bytes.byteLength),
          'Cache-Control': 'private, max-age=3600, immutable',
          'X-Width': String(preview.width),
          'X-Height': String(preview.height),
          'X-Channels': String(layerChannels[layer]),
          'Access-Control-Expose-Headers': exposedHeaders,
        },
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      };
    }
    case 'scrub': {
      const item = rest.length === 1 ? studio.items.find(id) : undefined;
      const frameIndex = parseWhole(rest[0]);
      if (!item || item.info.kind !== 'clip' || frameIndex === undefined || frameIndex >= (item.info.frameCount ?? 1)) return undefined;
      const layer = await studio.mattes.activity.run(() => studio.scrub.render(item, frameIndex));
      if (!layer) return undefined;
      const response = rawLayer(Buffer.concat([layer.jpeg, layer.alpha]), layer.width, layer.height, 1, 'no-cache');
      const { tier, model, ep, quality } = layer.provenance;
      Object.assign(response.headers, {
        'X-Jpeg-Bytes': String(layer.jpeg.byteLength),
        'X-Matte-Tier': String(tier),
        'X-Matte-Model': model,
        'X-Matte-Ep': ep,
        'X-Matte-Quality': quality ?? 'full',
        'Access-Control-Expose-Headers': `${exposedHeaders}, X-Jpeg-Bytes, X-Matte-Tier, X-Matte-Model, X-Matte-Ep, X-Matte-Quality`,
      });
      return response;
    }
    case 'source': {
      const item = rest.length === 0 ? studio.items.find(id) : undefined;
      return item && sourceFile(item.info.path, range);
    }
    case 'background': {
      const path = rest.length === 0 ? await studio.backgroundPictures.find(id) : undefined;
      return path === undefined ? undefined : sourceFile(path, range);
    }
    default:
      return undefined;
  }
}

/** The opened file with single-range support (RFC 9110 §14), as `serveFile` does for the static bundle. */
async function sourceFile(path: string, rangeHeader: string | undefined): Promise<MediaResponse | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const size = info.size;
  const headers: Record<string, string> = { 'Content-Type': contentTypeFor(path), 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', 'Access-Control-Expose-Headers': exposedHeaders };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: Buffer.alloc(0) };
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = Math.max(0, end - start + 1);
  headers['Content-Length'] = String(length);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  return { status: range ? 206 : 200, headers, body: length === 0 ? Buffer.alloc(0) : createReadStream(path, { start, end }) };
}

function rawLayer(bytes: Uint8Array, width: number, height: number, channels: number, cacheControl: string): MediaResponse {
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': cacheControl,
      'X-Width': String(width),
      'X-Height': String(height),
      'X-Channels': String(channels),
      'Access-Control-Expose-Headers': exposedHeaders,
    },
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

function jpeg(bytes: Buffer): MediaResponse {
  return { status: 200, headers: { 'Content-Type': 'image/jpeg', 'Content-Length': String(bytes.byteLength), 'Cache-Control': 'no-cache' }, body: bytes };
}

function status(code: number): MediaResponse {
  const text = code === 404 ? 'Not found' : code === 400 ? 'Bad request' : code === 422 ? 'The picture could not be read' : 'Internal error';
  return { status: code, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }, body: Buffer.from(text) };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function parseWhole(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}
