/**
 * The web shell: the studio service over RPC on a loopback WebSocket, the built renderer as static files, and the
 * media routes at `/media` (token required), all on one 127.0.0.1 port (see `host/webSocketHost.ts` for security).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { studioContract } from '../../shared/contract/studioContract';
import { isStudioError } from '../../shared/errors';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createEngine, type Engine } from '../engine';
import { sendStatus } from './serveFile';
import { startWebSocketHost, type WebSocketHost } from './webSocketHost';
import { createMediaRouter, type MediaHandler } from './mediaRouter';
import { createStudioService, type StudioService } from '../handlers/studioService';
import { appRoot } from '../environment';

/** Where `npm run build` puts the renderer bundle. */
export const defaultRendererDir = join(appRoot(), 'out', 'renderer');

/** Options of {@link startStudioHost}. */
export interface StudioHostOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** The built renderer; without an `index.html` there only the API and media answer. @default `out/renderer` */
  staticDir?: string;
  /** An engine to use (the caller keeps disposing it); a fresh one, disposed on close, when absent. */
  engine?: Engine;
  /** Hears technical failures (RPC handlers, media, sockets), for the log. Cancellations are not reported. */
  onError?: (error: unknown) => void;
  /** Recent projects, settings and recovery copies. @default `MATTE_STUDIO_SETTINGS_DIR`, else `~/.matte-studio` */
  settingsFolder?: string;
  /** Files and folders to open once the page connects (`getStartupPaths`). */
  startupPaths?: readonly string[];
}

/** A running web shell. */
export interface StudioHost {
  /** The page to open: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  /** False when no built renderer was found (the API still runs). */
  readonly hasRenderer: boolean;
  readonly host: WebSocketHost;
  readonly studio: StudioService;
  /** Closes sockets, stops background work and (when it made it) the engine. */
  close(): Promise<void>;
}

/** Starts the web shell and resolves once it listens. */
export async function startStudioHost(options: StudioHostOptions = {}): Promise<StudioHost> {
  const report = (error: unknown) => {
    if (!isStudioError(error, 'CANCELLED')) options.onError?.(error);
  };
  const engine = options.engine ?? createEngine();
  const studio = createStudioService({ engine, shell: 'web', onError: report, settingsFolder: options.settingsFolder, projects: { startupPaths: options.startupPaths } });
  const rpc = new RpcServer(studioContract, studio.handlers, { validateOutputs: false, onError: report });
  const staticDir = options.staticDir ?? defaultRendererDir;
  const hasRenderer = existsSync(join(staticDir, 'index.html'));
  let host: WebSocketHost;
  try {
    host = await startWebSocketHost({ rpc, port: options.port, staticDir: hasRenderer ? staticDir : undefined, onError: report });
  } catch (error) {
    await studio.dispose();
    if (!options.engine) await engine.dispose();
    throw error;
  }
  // The kernel worker starts now, while the page loads and the artist picks files: the first preview would otherwise
  // wait for its start (about 0.4 s on the 2-core VM) once the model has run.
  engine.kernels.prestart();
  const media = createMediaRouter(studio, { onError: report });
  host.addRoute('/media', (request, response, { url, subpath }) => serveMedia(media, request, response, `/media${subpath}${url.search}`));
  return {
    url: host.pageUrl,
    hasRenderer,
    host,
    studio,
    async close() {
      rpc.dispose();
      await host.close();
      await studio.dispose();
      if (!options.engine) await engine.dispose();
    },
  };
}

/** Writes a media response over HTTP (HEAD: headers only). */
async function serveMedia(media: MediaHandler, request: IncomingMessage, response: ServerResponse, pathWithQuery: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendStatus(response, 405);
  }
  const result = await media(pathWithQuery, { range: request.headers.range });
  response.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (request.method === 'HEAD' || Buffer.isBuffer(result.body)) {
    if (!Buffer.isBuffer(result.body)) result.body.destroy();
    response.end(request.method === 'HEAD' ? undefined : result.body);
    return;
  }
  try {
    await pipeline(result.body, response);
  } catch {
    // The client went away mid-stream (a <video> seeking does this all the time).
    response.destroy();
  }
}
