import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { studioContract } from '../shared/contract/studioContract';
import { RpcClient } from '../shared/rpc/rpcClient';
import { waitFor } from '../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../shared/rpc/webSocketTransport';
import { createEngine } from '../main/engine';
import { defaultRendererDir } from '../main/studio/startStudioHost';
import { fixture, hasFixtures, missingFixturesReason } from '../main/testing/fixtures';
import { runCli } from './index';

if (!hasFixtures) console.warn(missingFixturesReason);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

describe('matte-studio serve', () => {
  const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
  afterAll(() => engine.dispose());

  it('refuses a bad port with a usage error', async () => {
    const { output, err } = capture();
    expect(await runCli(['serve', '--port', 'eighty'], output)).toBe(2);
    expect(err.join('\n')).toMatch(/--port needs a whole number/);
  });

  it.skipIf(!hasFixtures)('prints the page address with its token, serves RPC and token-guarded media, and stops cleanly', async () => {
    const { runServeCommand } = await import('./serveCommand');
    const { output, out, err } = capture();
    const controller = new AbortController();
    const running = runServeCommand([], engine, output, controller.signal);
    await waitFor(() => out.some((line) => line.includes('is running at')), 'the address line', 30_000);
    const match = /^Matte Studio is running at (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)$/.exec(out[0]!);
    expect(match).not.toBeNull();
    const [, origin, token] = match!;
    const hasRenderer = existsSync(join(defaultRendererDir, 'index.html'));
    expect(err.some((line) => line.includes('npm run build'))).toBe(!hasRenderer);

    const client = new RpcClient(studioContract, await connectWebSocketTransport(`${origin!.replace('http', 'ws')}/rpc?token=${token}`, { WebSocket }));
    try {
      expect((await client.api.getAppInfo({})).shell).toBe('web');
      const { items } = await client.api.openPaths({ paths: [fixture('portraits/deb_grace_hopper.jpg')] });
      const thumbnail = await fetch(`${origin}${items[0]!.thumbnailUrl}?token=${token}`);
      expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
      expect((await fetch(`${origin}${items[0]!.thumbnailUrl}`)).status).toBe(401);
      const ranged = await fetch(`${origin}/media/source/${items[0]!.id}?token=${token}`, { headers: { Range: 'bytes=0-1' } });
      expect([ranged.status, [...new Uint8Array(await ranged.arrayBuffer())]]).toEqual([206, [0xff, 0xd8]]);
      const head = await fetch(`${origin}/media/source/${items[0]!.id}?token=${token}`, { method: 'HEAD' });
      expect([head.status, head.headers.get('accept-ranges')]).toEqual([200, 'bytes']);
      expect((await fetch(`${origin}/media/source/nope?token=${token}`)).status).toBe(404);
    } finally {
      client.dispose();
    }

    controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(`${origin}/media/thumb/x?token=${token}`)).rejects.toThrow();
  });
});
