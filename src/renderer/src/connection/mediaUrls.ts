/**
 * Turns the engine's media paths (`/media/...`, see `shared/contract/mediaPaths.ts`) into URLs the renderer can load:
 * `app://media/...` in Electron (the shell's protocol), `<origin>/media/...?token=…` in the web shell.
 */

/** Where media comes from. */
export type MediaSource = { readonly kind: 'electron' } | { readonly kind: 'web'; readonly origin: string; readonly token: string };

/** Already a full URL (engine gave one, or a data/blob URL): used as it is. */
const absoluteUrlPattern = /^(?:[a-z][a-z0-9+.-]*:)/i;

/** Builds `toMediaUrl` for one media source. */
export function createMediaUrlResolver(source: MediaSource): (path: string) => string {
  return (path) => {
    if (absoluteUrlPattern.test(path)) return path;
    const rooted = path.startsWith('/') ? path : `/${path}`;
    if (source.kind === 'electron') return `app://media${rooted}`;
    const separator = rooted.includes('?') ? '&' : '?';
    return `${source.origin}${rooted}${separator}token=${encodeURIComponent(source.token)}`;
  };
}

/** The web shell's token from the page fragment (`#token=…`, possibly among other fragment parameters). */
export function readTokenFromHash(hash: string): string | null {
  const parameters = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = parameters.get('token');
  return token && token.length > 0 ? token : null;
}

/** The RPC socket address for a page location: `ws(s)://<host>/rpc?token=…`. */
export function rpcSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/rpc?token=${encodeURIComponent(token)}`;
}
