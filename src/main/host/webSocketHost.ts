/**
 * The web shell's server: one HTTP server on 127.0.0.1 that serves the renderer bundle, media routes, and the RPC
 * WebSocket at `/rpc`. The same renderer bundle runs here and in Electron; only the transport differs.
 *
 * Security (DESIGN §10): bound to 127.0.0.1 only; every request must carry this server's own Host (DNS rebinding);
 * a present Origin must be this server's own page (see {@link isAllowedOrigin}); the socket and every media route
 * require the random token as `?token=`. The page URL carries the token in its fragment (`/#token=…`), which
 * browsers never send to servers or put in Referer headers, and the renderer appends it where needed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpath } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toDisposable, type Disposable } from '../../shared/disposable';
import type { Transport } from '../../shared/rpc/transport';
import { createWebSocketTransport } from '../../shared/rpc/webSocketTransport';
import { contentSecurityPolicyFor } from './contentSecurityPolicy';
import { createToken, isAllowedHost, isAllowedOrigin, tokensMatch } from './hostSecurity';
import { sendStatus, serveFile } from './serveFile';
import { resolveStaticPath } from './staticFiles';

/** Serves one prefix (e.g. `/media`); `subpath` is the still-encoded rest of the path after the prefix. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, context: { url: URL; subpath: string }) => unknown;

/** Options of {@link WebSocketHost.addRoute}. */
export interface RouteOptions {
  /** Require `?token=` on requests to this route. Off only for content as public as the bundle itself. @default true */
  requireToken?: boolean;
}

/** Anything that can serve RPC over a transport, i.e. an `RpcServer`. */
export interface RpcConnector {
  connect(transport: Transport): Disposable;
}

/** Options of {@link startWebSocketHost}. */
export interface WebSocketHostOptions {
  /** Receives each accepted socket as a transport. */
  rpc: RpcConnector;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Folder with the built renderer bundle; without it only routes and `/rpc` answer. */
  staticDir?: string;
  /** The secret; a fresh random one by default. Given ones must be at least 32 characters. */
  token?: string;
  /** Largest RPC frame accepted; pixels travel through routes, not the socket. @default 16 MiB */
  maxMessageBytes?: number;
  /** Hears refused upgrades, route failures and socket errors, for the log. */
  onError?: (error: unknown) => void;
}

/** A running web shell host. */
export interface WebSocketHost {
  /** The port actually bound. */
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The secret clients must present. */
  readonly token: string;
  /** The page to open in a browser: `http://127.0.0.1:PORT/#token=…`. */
  readonly pageUrl: string;
  /** The RPC socket address: `ws://127.0.0.1:PORT/rpc?token=…`. */
  readonly rpcUrl: string;
  /** The bound address, as the server reports it. */
  address(): AddressInfo;
  /** Serves `prefix` (e.g. `/media`, no trailing slash) with `handler`; the longest matching prefix wins. */
  addRoute(prefix: string, handler: RouteHandler, options?: RouteOptions): Disposable;
  /** Closes every socket and stops listening. */
  close(): Promise<void>;
}

interface Route {
  prefix: string;
  handler: RouteHandler;
  requireToken: boolean;
}

const securityHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Starts the host on 127.0.0.1 and resolves once it listens. */
export async function startWebSocketHost(options: WebSocketHostOptions): Promise<WebSocketHost> {
  const token = options.token ?? createToken();
  if (token.length < 32) throw new RangeError(`Expected a token of at least 32 characters for the web shell but received ${token.length}`);
  const staticRoot = options.staticDir === undefined ? undefined : await realpath(options.staticDir);
  const routes: Route[] = [];
  const report = (error: unknown) => options.onError?.(error);
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024 });
  let port = 0;

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    // Every response carries the CSP (not only index.html): a stray HTML or SVG body can then never run script.
    response.setHeader('Content-Security-Policy', contentSecurityPolicyFor({ shell: 'web', port }));
    handleRequest(request, response).catch((error: unknown) => {
      report(error);
      sendStatus(response, 500);
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, port) || !isAllowedOrigin(request.headers.origin, port)) return sendStatus(response, 403);
    const rawUrl = request.url ?? '/';
    const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
    const url = new URL(rawUrl.startsWith('/') ? rawUrl : '/', `http://127.0.0.1:${port}`);
    const route = findRoute(rawPath);
    if (route) {
      if (route.requireToken && !tokensMatch(url.searchParams.get('token'), token)) return sendStatus(response, 401);
      await route.handler(request, response, { url, subpath: rawPath.slice(route.prefix.length) });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendStatus(response, 405);
    }
    if (!staticRoot) return sendStatus(response, 404);
    const resolved = await resolveStaticPath(staticRoot, rawPath);
    if ('status' in resolved) return sendStatus(response, resolved.status);
    return serveFile(request, response, resolved.filePath);
  }

  function findRoute(rawPath: string): Route | undefined {
    let best: Route | undefined;
    for (const route of routes) {
      const matches = rawPath === route.prefix || rawPath.startsWith(`${route.prefix}/`);
      if (matches && (!best || route.prefix.length > best.prefix.length)) best = route;
    }
    return best;
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake must not surface as an unhandled 'error' on the raw socket.
    socket.on('error', report);
    const refusal = checkUpgrade(request);
    if (refusal) {
      report(new Error(`Refused RPC upgrade: ${refusal}`));
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket: WebSocket) => {
      const transport = createWebSocketTransport(webSocket, { onError: report });
      options.rpc.connect(transport);
    });
  });

  /** The status line to refuse with, or undefined when the upgrade may proceed. */
  function checkUpgrade(request: IncomingMessage): string | undefined {
    if (!isAllowedHost(request.headers.host, port) || !isAllowedOrigin(request.headers.origin, port)) return '403 Forbidden';
    const rawUrl = request.url ?? '';
    if (!rawUrl.startsWith('/')) return '400 Bad Request';
    const url = new URL(rawUrl, `http://127.0.0.1:${port}`);
    if (url.pathname !== '/rpc') return '404 Not Found';
    if (!tokensMatch(url.searchParams.get('token'), token)) return '401 Unauthorized';
    return undefined;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The address is fixed on purpose: the web shell must never be reachable from another machine.
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', report);
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    token,
    pageUrl: `${origin}/#token=${token}`,
    rpcUrl: `ws://127.0.0.1:${port}/rpc?token=${token}`,
    address: () => server.address() as AddressInfo,
    addRoute(prefix, handler, routeOptions = {}) {
      // Plain segments only (no dot-first ones such as `..`), so a prefix can never match a path outside itself.
      if (!/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/.test(prefix) || prefix === '/rpc') {
        throw new TypeError(`Expected a route prefix like "/media" for addRoute but received "${prefix}"`);
      }
      const route: Route = { prefix, handler, requireToken: routeOptions.requireToken ?? true };
      routes.push(route);
      return toDisposable(() => routes.splice(routes.indexOf(route), 1));
    },
    async close() {
      // Terminate rather than handshake: the renderer sees the close at once and rejects its pending calls.
      for (const client of webSockets.clients) client.terminate();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
