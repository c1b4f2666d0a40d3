import { readFile, realpath } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { contentSecurityPolicyFor } from '../host/contentSecurityPolicy';
import { contentTypeFor } from '../host/serveFile';
import { resolveStaticPath } from '../host/staticFiles';
import type { MediaHandler } from '../host/mediaRouter';

/** The page's Content-Security-Policy: nothing remote, scripts only from the bundle (shared with the web shell). */
export const contentSecurityPolicy = contentSecurityPolicyFor({ shell: 'electron' });

/**
 * Handles `app://renderer/<file>` (the built renderer, with path containment: nothing outside the bundle folder) and
 * `app://media/<path>` (the engine's media router, Range requests included). Used with `protocol.handle('app', …)`.
 */
export function createAppProtocolHandler(rendererDir: string, media: MediaHandler): (request: Request) => Promise<Response> {
  const rootPromise = realpath(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host === 'media') {
      const result = await media(`/media${url.pathname}${url.search}`, { range: request.headers.get('range') ?? undefined });
      const body = result.body instanceof Readable ? (Readable.toWeb(result.body) as ReadableStream) : result.body;
      return new Response(body as ConstructorParameters<typeof Response>[0], { status: result.status, headers: result.headers });
    }
    if (url.host !== 'renderer') return new Response('Not found', { status: 404 });
    const resolved = await resolveStaticPath(await rootPromise, url.pathname === '/' ? '/index.html' : url.pathname);
    if ('status' in resolved) return new Response('Not found', { status: resolved.status });
    const headers: Record<string, string> = { 'Content-Type': contentTypeFor(resolved.filePath), 'X-Content-Type-Options': 'nosniff' };
    if (resolved.filePath.endsWith('.html')) headers['Content-Security-Policy'] = contentSecurityPolicy;
    return new Response(new Uint8Array(await readFile(resolved.filePath)), { status: 200, headers });
  };
}

/** True for the pages the IPC channel trusts: `app://renderer/…` exactly (not a look-alike host or user info). */
export function isTrustedRendererUrl(url: string): boolean {
  if (!url.startsWith('app://renderer/')) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'renderer' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
