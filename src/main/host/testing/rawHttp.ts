/**
 * Test helpers that talk to the host the way an attacker could: raw paths (no URL normalisation) and any Host or
 * Origin header. Test-only.
 */
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';

/** What came back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends `path` exactly as given to 127.0.0.1:`port`, with `Host: 127.0.0.1:port` unless overridden. */
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Attempts a WebSocket upgrade and reports `'open'` or the HTTP status the host refused with.
 * `headers` may set `host` and `origin` to anything.
 */
export function upgradeOutcome(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    // An 'unexpected-response' handler takes over error reporting; any other error is a real failure.
    socket.on('error', reject);
  });
}
