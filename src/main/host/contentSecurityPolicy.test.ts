import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createExampleHandlers, createProbe, exampleContract } from '../../shared/rpc/testing/exampleContract';
import { contentSecurityPolicyFor, cspViolations } from './contentSecurityPolicy';
import { startWebSocketHost } from './webSocketHost';

describe('the web shell sends a strict CSP', () => {
  it('on the page, on static files, on routes and on refusals', async () => {
    const bundle = await mkdtemp(join(tmpdir(), 'csp-bundle-'));
    await writeFile(join(bundle, 'index.html'), '<!doctype html><title>x</title>');
    const server = new RpcServer(exampleContract, createExampleHandlers(createProbe()));
    const host = await startWebSocketHost({ rpc: server, staticDir: bundle });
    host.addRoute('/media', (_request, response) => response.end('media'));
    try {
      const expected = contentSecurityPolicyFor({ shell: 'web', port: host.port });
      expect(cspViolations(expected)).toEqual([]);
      for (const path of ['/', '/index.html', `/media/x?token=${host.token}`, '/media/x', '/nope', '/../etc/passwd']) {
        const response = await fetch(`${host.origin}${path}`);
        expect(response.headers.get('content-security-policy'), path).toBe(expected);
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
    } finally {
      server.dispose();
      await host.close();
    }
  });
});
