import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { studioContract } from '../shared/contract/studioContract';
import { RpcClient } from '../shared/rpc/rpcClient';
import { waitFor } from '../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../shared/rpc/webSocketTransport';
import { createEngine } from '../main/engine';
import { defaultRendererDir } from '../main/host/startStudioHost';
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
    const negative = capture();
    expect(await runCli(['serve', '--port', '-1'], negative.output)).toBe(2);
    expect(negative.err.join('\n')).toMatch(/--port needs a whole number from 0 to 65535, not "-1"/);
  });

  it('says so when the port is taken, instead of an internal error', async () => {
    const { runServeCommand } = await import('./serveCommand');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(runServeCommand(['--port', String(port)], engine, capture().output)).rejects.toMatchObject({
        message: `Port ${port} is in use by another program: choose another with --port, or leave it out for a free one.`,
      });
    } finally {
      taken.close();
    }
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

describe('matte-studio serve and SIGTERM', () => {
  it('stops cleanly on the first SIGTERM, like Ctrl+C', async () => {
    const { spawn } = await import('node:child_process');
    const settings = await import('node:fs/promises').then((fs) => fs.mkdtemp(join(tmpdir(), 'serve-sigterm-')));
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'matte-studio.mjs'), 'serve', '--port', '0', '--settings-dir', settings], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MATTE_STUDIO_SKIP_MODELS: '1' },
    });
    let out = '';
    let err = '';
    let hasExited = false;
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    void exited.then(() => (hasExited = true));
    await waitFor(() => out.includes('is running at') || hasExited, 'the address line', 60_000);
    expect(err.includes('Error') ? err : '').toBe('');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(out).toContain('Stopping Matte Studio');
  }, 90_000);
});

describe('a CLI batch and SIGTERM', () => {
  it('cancels like Ctrl+C: exit 143, finished outputs kept, no temporary files left', async () => {
    const { spawn } = await import('node:child_process');
    const fs = await import('node:fs/promises');
    const sharp = (await import('sharp')).default;
    const inputs = await fs.mkdtemp(join(tmpdir(), 'sigterm-in-'));
    const outDir = join(await fs.mkdtemp(join(tmpdir(), 'sigterm-out-')), 'out');
    const noise = Buffer.alloc(480 * 360 * 3);
    for (let index = 0; index < noise.length; index++) noise[index] = (index * 2654435761) >>> 24;
    const picture = await sharp(noise, { raw: { width: 480, height: 360, channels: 3 } }).png().toBuffer();
    for (let index = 0; index < 40; index++) await fs.writeFile(join(inputs, `p${String(index).padStart(2, '0')}.png`), picture);
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'matte-studio.mjs'), 'batch', inputs, '--out', outDir, '--formats', 'png,webp', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let out = '';
    let hasExited = false;
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', () => {});
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    void exited.then(() => (hasExited = true));
    // The first item is done: the second is being matted or written when the signal arrives.
    await waitFor(() => out.includes('\n') || hasExited, 'the first item', 60_000);
    child.kill('SIGTERM');
    expect(await exited).toEqual([143, null]);
    const left = await fs.readdir(outDir).catch(() => [] as string[]);
    expect(left.filter((name) => name.startsWith('.') || name.includes('partial'))).toEqual([]);
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(80);
  }, 120_000);
});
