import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RpcClient } from '../../shared/rpc/rpcClient';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createExampleHandlers, createProbe, exampleContract } from '../../shared/rpc/testing/exampleContract';
import { rejectionOf, waitFor } from '../../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../../shared/rpc/webSocketTransport';
import { tokensMatch } from './hostSecurity';
import { rawRequest, upgradeOutcome } from './testing/rawHttp';
import { startWebSocketHost, type WebSocketHost } from './webSocketHost';

let host: WebSocketHost;
let server: RpcServer<typeof exampleContract>;
const hostErrors: unknown[] = [];

beforeEach(async () => {
  hostErrors.length = 0;
  server = new RpcServer(exampleContract, createExampleHandlers(createProbe()));
  host = await startWebSocketHost({ rpc: server, maxMessageBytes: 64 * 1024, onError: (error) => hostErrors.push(error) });
});
afterEach(async () => {
  server.dispose();
  await host.close();
});

/** Resolves true when a TCP connection to `address`:`port` succeeds. */
function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(host.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: host.port });
    expect(await canConnect('127.0.0.1', host.port)).toBe(true);
    const otherAddresses = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info && info.address !== '127.0.0.1')
      .map((info) => info!.address);
    // 127.0.0.2 reaches a 0.0.0.0 listener on Linux, and ::1 a dual-stack one, even on machines with no other interface.
    for (const address of ['127.0.0.2', '::1', ...otherAddresses]) expect(await canConnect(address, host.port)).toBe(false);
  });

  it('uses a fresh 32-character URL-safe token per host and puts it in the page URL fragment', async () => {
    const other = await startWebSocketHost({ rpc: server });
    try {
      expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(other.token).not.toBe(host.token);
      expect(host.pageUrl).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    } finally {
      await other.close();
    }
  });

  it('refuses a short caller-chosen token', async () => {
    await expect(startWebSocketHost({ rpc: server, token: 'short' })).rejects.toThrow(/32 characters/);
  });
});

describe('the RPC socket', () => {
  const rpcUrl = (token?: string) => `ws://127.0.0.1:${host.port}/rpc${token === undefined ? '' : `?token=${token}`}`;

  it('opens with the token and no Origin (a non-browser client), or with the page own origin', async () => {
    expect(await upgradeOutcome(host.rpcUrl)).toBe('open');
    expect(await upgradeOutcome(host.rpcUrl, { origin: host.origin })).toBe('open');
    expect(await upgradeOutcome(host.rpcUrl, { origin: `http://localhost:${host.port}`, host: `localhost:${host.port}` })).toBe('open');
  });

  it('refuses a missing or wrong token with 401, and the client rejects', async () => {
    expect(await upgradeOutcome(rpcUrl())).toBe(401);
    expect(await upgradeOutcome(rpcUrl(''))).toBe(401);
    expect(await upgradeOutcome(rpcUrl(`${host.token.slice(0, -1)}x`))).toBe(401);
    expect(await upgradeOutcome(rpcUrl(`${host.token}x`))).toBe(401);
    expect(await upgradeOutcome(`ws://127.0.0.1:${host.port}/rpc?tok=${host.token}`)).toBe(401);
    await expect(connectWebSocketTransport(rpcUrl('wrong'), { WebSocket })).rejects.toThrow(/Could not connect/);
    expect(server.connectionCount).toBe(0);
  });

  it('refuses a foreign Origin with 403 even with the right token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, 'null', `http://127.0.0.1.evil.example:${host.port}`]) {
      expect(await upgradeOutcome(host.rpcUrl, { origin })).toBe(403);
    }
  });

  it('refuses a foreign Host with 403 even with the right token (DNS rebinding)', async () => {
    for (const hostHeader of [`evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1', `0.0.0.0:${host.port}`]) {
      expect(await upgradeOutcome(host.rpcUrl, { host: hostHeader })).toBe(403);
    }
  });

  it('refuses other upgrade paths with 404', async () => {
    expect(await upgradeOutcome(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).toBe(404);
  });

  it('survives an oversized frame: that connection closes and its calls reject, the host keeps serving', async () => {
    const client = new RpcClient(exampleContract, await connectWebSocketTransport(host.rpcUrl, { WebSocket }));
    const error = await rejectionOf(client.api.add({ a: 1, b: 2, padding: 'x'.repeat(100_000) } as never));
    expect(error.message).toMatch(/closed/);
    const next = new RpcClient(exampleContract, await connectWebSocketTransport(host.rpcUrl, { WebSocket }));
    expect(await next.api.add({ a: 1, b: 2 })).toBe(3);
    next.dispose();
    await waitFor(() => server.connectionCount === 0, 'both connections to end');
  });

  it('closes a connection that sends a binary frame', async () => {
    const socket = new WebSocket(host.rpcUrl);
    await new Promise((resolve) => socket.once('open', resolve));
    const closeCode = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(Buffer.from([1, 2, 3]));
    expect(await closeCode).toBe(1003);
  });

  it('closing the host rejects the pending calls of its clients', async () => {
    const client = new RpcClient(exampleContract, await connectWebSocketTransport(host.rpcUrl, { WebSocket }));
    const pending = client.api.slowCount({ to: 100_000 });
    await waitFor(() => server.connectionCount === 1, 'the connection');
    await host.close();
    expect((await rejectionOf(pending)).message).toMatch(/closed/);
  });
});

describe('HTTP requests', () => {
  it('refuses a foreign Host or Origin with 403 before anything else', async () => {
    expect((await rawRequest(host.port, '/', { headers: { host: `evil.example:${host.port}` } })).status).toBe(403);
    expect((await rawRequest(host.port, '/', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await rawRequest(host.port, '/nothing', { headers: { host: `localhost:${host.port}` } })).status).toBe(404);
  });

  it('serves added routes only with the token, matching the longest prefix', async () => {
    host.addRoute('/media', (_request, response, { subpath }) => response.end(`media:${subpath}`));
    host.addRoute('/media/preview', (_request, response, { subpath }) => response.end(`preview:${subpath}`));
    host.addRoute('/public', (_request, response) => response.end('public'), { requireToken: false });
    expect((await rawRequest(host.port, '/media/a.mp4')).status).toBe(401);
    expect((await rawRequest(host.port, '/media/a.mp4?token=nope')).status).toBe(401);
    expect((await rawRequest(host.port, `/media/a.mp4?token=${host.token}`)).body.toString()).toBe('media:/a.mp4');
    expect((await rawRequest(host.port, `/media/preview/7?token=${host.token}`)).body.toString()).toBe('preview:/7');
    expect((await rawRequest(host.port, `/mediaX?token=${host.token}`)).status).toBe(404);
    expect((await rawRequest(host.port, '/public')).body.toString()).toBe('public');
    expect(() => host.addRoute('media', () => {})).toThrow(/prefix/);
    expect(() => host.addRoute('/a/../b', () => {})).toThrow(/prefix/);
  });

  it('answers 500 without details when a route throws', async () => {
    host.addRoute('/broken', () => {
      throw new Error('secret path /home/user');
    });
    const response = await rawRequest(host.port, `/broken?token=${host.token}`);
    expect(response.status).toBe(500);
    expect(response.body.toString()).not.toContain('secret');
    expect(hostErrors.some((error) => String(error).includes('secret path'))).toBe(true);
  });
});

describe('tokensMatch', () => {
  it('accepts only the exact token', () => {
    expect(tokensMatch('a'.repeat(32), 'a'.repeat(32))).toBe(true);
    expect(tokensMatch('a'.repeat(31), 'a'.repeat(32))).toBe(false);
    expect(tokensMatch('', 'a'.repeat(32))).toBe(false);
    expect(tokensMatch(null, 'a'.repeat(32))).toBe(false);
  });
});
