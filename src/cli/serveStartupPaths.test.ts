import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { studioContract } from '../shared/contract/studioContract';
import { RpcClient } from '../shared/rpc/rpcClient';
import { waitFor } from '../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../shared/rpc/webSocketTransport';
import { createEngine } from '../main/engine';
import { parseServeArgs, runServeCommand } from './serveCommand';

describe('matte-studio serve <paths…>', () => {
  const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
  afterAll(() => engine.dispose());

  it('makes the paths and the settings folder absolute', () => {
    expect(parseServeArgs(['--port', '0', 'shots', '/abs/p.mattestudio', '--settings-dir', 'cfg'], '/work')).toEqual({
      port: 0,
      settingsFolder: '/work/cfg',
      paths: ['/work/shots', '/abs/p.mattestudio'],
    });
    expect(parseServeArgs([], '/work')).toEqual({ port: 0, paths: [] });
  });

  it('hands the paths to the first page that asks, once, and uses the given settings folder', async () => {
    const settingsFolder = await mkdtemp(join(tmpdir(), 'matte-serve-settings-'));
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runServeCommand(['--settings-dir', settingsFolder, 'shots', '/abs/folder'], engine, { out: (line) => lines.push(line), err: () => {} }, controller.signal);
    try {
      await waitFor(() => lines.some((line) => line.includes('is running at')), 'the address line', 30_000);
      const [, origin, token] = /running at (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)$/.exec(lines[0]!)!;
      const client = new RpcClient(studioContract, await connectWebSocketTransport(`${origin!.replace('http', 'ws')}/rpc?token=${token}`, { WebSocket }));
      try {
        expect(await client.api.getStartupPaths({})).toEqual({ paths: [join(process.cwd(), 'shots'), '/abs/folder'] });
        expect(await client.api.getStartupPaths({})).toEqual({ paths: [] });
        // The settings folder is the one given: an autosave session appears there once the document changes.
        await client.api.markDocumentChanged({ document: { items: [], activeItemId: null } });
        expect(await readdir(join(settingsFolder, 'recovery'))).toHaveLength(1);
      } finally {
        client.dispose();
      }
    } finally {
      controller.abort();
      expect(await running).toBe(0);
    }
    // A clean stop ends the session: nothing to recover.
    expect(await readdir(join(settingsFolder, 'recovery'))).toEqual([]);
    await rm(settingsFolder, { recursive: true, force: true });
  });
});
