import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relaunchEnvironment, type HugePageFacts } from '../../bin/hugePages.mjs';

if (!relaunchEnvironment('batch', process.env)) console.warn('This machine runs the CLI without restarting it for huge pages (not Linux with glibc and THP at madvise, or MATTE_STUDIO_HUGE_PAGES=0): the killed-launcher test is skipped.');

const linux: HugePageFacts = { platform: 'linux', glibc: true, thpMode: 'madvise', pid: 4242 };

describe('relaunchEnvironment (the launcher restarting itself with transparent huge pages)', () => {
  it('adds the glibc tunable for the heavy commands on Linux with glibc and THP at madvise, keeping other tunables', () => {
    for (const command of ['cutout', 'video', 'batch']) {
      expect(relaunchEnvironment(command, { PATH: '/bin' }, linux)).toEqual({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', MATTE_STUDIO_RELAUNCHED: '4242' });
    }
    expect(relaunchEnvironment('cutout', { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, linux)?.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  });

  it('runs in place everywhere else: other commands, other systems and modes, once relaunched, or when turned off', () => {
    expect(relaunchEnvironment('serve', {}, linux)).toBeUndefined();
    expect(relaunchEnvironment('models', {}, linux)).toBeUndefined();
    expect(relaunchEnvironment(undefined, {}, linux)).toBeUndefined();
    expect(relaunchEnvironment('cutout', {}, { ...linux, platform: 'darwin' })).toBeUndefined();
    expect(relaunchEnvironment('cutout', {}, { ...linux, glibc: false })).toBeUndefined();
    expect(relaunchEnvironment('cutout', {}, { ...linux, thpMode: 'always' })).toBeUndefined();
    expect(relaunchEnvironment('cutout', {}, { ...linux, thpMode: 'never' })).toBeUndefined();
    expect(relaunchEnvironment('cutout', {}, { ...linux, thpMode: undefined })).toBeUndefined();
    expect(relaunchEnvironment('cutout', { MATTE_STUDIO_RELAUNCHED: '4241' }, linux)).toBeUndefined();
    expect(relaunchEnvironment('cutout', { MATTE_STUDIO_HUGE_PAGES: '0' }, linux)).toBeUndefined();
    expect(relaunchEnvironment('cutout', { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, linux)).toBeUndefined();
  });
});

describe('the launcher', () => {
  const launcher = join(__dirname, '..', '..', 'bin', 'matte-studio.mjs');
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [launcher, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });

  it('exits with the code of the command it ran, relaunched or not', async () => {
    const out = await mkdtemp(join(tmpdir(), 'launcher-'));
    const missing = ['cutout', join(out, 'missing.jpg'), '--out', out];
    for (const env of [{ ...process.env }, { ...process.env, MATTE_STUDIO_HUGE_PAGES: '0' }]) {
      const result = await run(missing, env);
      expect(result.code, result.out).toBe(1);
      expect(result.out).toContain('missing.jpg was not found');
    }
    expect((await run(['no-such-command'], process.env)).code).toBe(2);
  });

  // Only where the launcher does restart (Linux, glibc, THP at madvise, not turned off).
  it.skipIf(!relaunchEnvironment('batch', process.env))('takes the relaunched command with it when it is killed outright', async () => {
    const out = await mkdtemp(join(tmpdir(), 'launcher-killed-'));
    // Two 6-megapixel pictures of noise: a batch of many seconds, so the command outlives the wait below unless ended.
    const inputs = await mkdtemp(join(tmpdir(), 'launcher-killed-in-'));
    const noise = Buffer.alloc(3000 * 2000 * 3);
    for (let index = 0; index < noise.length; index++) noise[index] = (index * 2654435761) >>> 24;
    const picture = await sharp(noise, { raw: { width: 3000, height: 2000, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    await Promise.all(['a.png', 'b.png'].map((name) => writeFile(join(inputs, name), picture)));
    const launched = spawn(process.execPath, [launcher, 'batch', inputs, '--out', out, '--formats', 'png'], { stdio: 'ignore', env: process.env });
    // The relaunched process is the one whose command line names this run's output folder and whose parent is the launcher.
    const relaunched = async (): Promise<number | undefined> => {
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === launched.pid) continue;
        const [cmdline, stat] = await Promise.all([readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''), readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')]);
        if (cmdline.includes(out) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === launched.pid) return Number(entry);
      }
      return undefined;
    };
    let pid: number | undefined;
    for (let tries = 0; tries < 200 && pid === undefined; tries++) {
      pid = await relaunched();
      if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pid, 'the launcher started the command again').toBeDefined();
    launched.kill('SIGKILL');
    const isRunning = async () => (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0];
    for (let tries = 0; tries < 60 && ['R', 'S', 'D'].includes((await isRunning()) ?? ''); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(['R', 'S', 'D']).not.toContain(await isRunning()); // gone, or a zombie waiting to be reaped
  });
});
