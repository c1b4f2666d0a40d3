import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createExampleHandlers, createProbe, exampleContract } from '../../shared/rpc/testing/exampleContract';
import { parseRange, serveFile } from './serveFile';
import { toSafeSegments } from './staticFiles';
import { rawRequest } from './testing/rawHttp';
import { startWebSocketHost, type WebSocketHost } from './webSocketHost';

const secret = 'TOP SECRET outside the bundle';
/** 256 bytes whose value equals their offset, so any slice shows where it came from. */
const ramp = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
let folder: string;
let host: WebSocketHost;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'matte-host-'));
  const root = join(folder, 'public');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(folder, 'secret.txt'), secret);
  await writeFile(join(folder, 'publicity.txt'), secret); // Shares the root's name as a prefix: `public` + `ity.txt`.
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Matte Studio</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'clip.mp4'), ramp);
  await writeFile(join(root, '.env'), secret);
  await symlink(join(folder, 'secret.txt'), join(root, 'escape.txt'));
  await symlink(folder, join(root, 'up'));
  host = await startWebSocketHost({ rpc: new RpcServer(exampleContract, createExampleHandlers(createProbe())), staticDir: root });
  host.addRoute('/media', (request, response) => serveFile(request, response, join(root, 'clip.mp4')));
});
afterAll(async () => {
  await host.close();
  await rm(folder, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves the bundle with the right content types and security headers', async () => {
    const page = await rawRequest(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body.toString()).toContain('Matte Studio');
    const script = await rawRequest(host.port, '/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body.toString()).toBe('console.log(1)');
    expect((await rawRequest(host.port, '/clip.mp4')).headers['content-type']).toBe('video/mp4');
    expect((await rawRequest(host.port, '/missing.js')).status).toBe(404);
    expect((await rawRequest(host.port, '/assets')).status).toBe(404);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await rawRequest(host.port, '/clip.mp4', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('256');
    expect(head.body.length).toBe(0);
    expect((await rawRequest(host.port, '/index.html', { method: 'POST' })).status).toBe(405);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/../publicity.txt',
    '/.env',
    '/escape.txt',
    '/up/secret.txt',
    '/assets%00/app.js',
    '/%ff',
  ])('refuses %s without revealing anything outside the folder', async (path) => {
    const response = await rawRequest(host.port, path);
    expect([400, 403, 404]).toContain(response.status);
    expect(response.body.toString()).not.toContain(secret);
  });
});

describe('range requests', () => {
  it.each([
    ['/clip.mp4', 'bytes=10-19', 10, 19],
    ['/clip.mp4', 'bytes=250-', 250, 255],
    ['/clip.mp4', 'bytes=-5', 251, 255],
    ['/clip.mp4', 'bytes=200-999', 200, 255],
    [`/media/anything?token=TOKEN`, 'bytes=0-0', 0, 0],
  ])('GET %s with %s answers 206 with exactly those bytes', async (path, range, start, end) => {
    const response = await rawRequest(host.port, path.replace('TOKEN', host.token), { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/256`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect([...response.body]).toEqual([...ramp.subarray(start, end + 1)]);
  });

  it('answers 416 for a range past the end, and the whole file for a malformed or multi-range header', async () => {
    const outside = await rawRequest(host.port, '/clip.mp4', { headers: { range: 'bytes=300-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */256');
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3']) {
      const whole = await rawRequest(host.port, '/clip.mp4', { headers: { range } });
      expect(whole.status).toBe(200);
      expect(whole.body.equals(ramp)).toBe(true);
    }
    expect((await rawRequest(host.port, '/media/x', { headers: { range: 'bytes=0-0' } })).status).toBe(401);
  });
});

describe('parseRange', () => {
  it('handles each form against a 100-byte file', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-49', 100)).toEqual({ start: 0, end: 49 });
    expect(parseRange('bytes=50-', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-0', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-', 100)).toBeUndefined();
  });
});

describe('toSafeSegments', () => {
  it('splits plain paths and refuses dot segments, encoded separators and NUL', () => {
    expect(toSafeSegments('/assets//app%20v2.js')).toEqual(['assets', 'app v2.js']);
    for (const path of ['/..', '/a/%2e%2E/b', '/a%2fb', '/a%5Cb', '/a%00', '/c:x', '/.git/config']) expect(toSafeSegments(path)).toEqual({ status: 403 });
    expect(toSafeSegments('/%e0%a4%a')).toEqual({ status: 400 });
    expect(toSafeSegments('relative')).toEqual({ status: 400 });
  });
});
