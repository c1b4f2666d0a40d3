import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { launchProcess, launcherPid, startProcessLauncher, stopProcessLauncher, type LaunchedProcess } from './processLauncher';
import { RemoteProcess } from './remoteProcess';
import { backgroundNiceness } from './threadPriority';

/** The parent process id of `pid`, from /proc (field 4 of stat, after the command name in parentheses). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Everything a program writes to stdout and stderr, and how it ended. */
async function outcomeOf(child: LaunchedProcess): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (...status) => resolve(status as never)));
  return { stdout, stderr, code, signal };
}

describe.skipIf(process.platform !== 'linux')('launchProcess (Linux: through the process launcher)', () => {
  afterEach(() => stopProcessLauncher());

  it('starts programs from the launcher, not from the host, once below the host priority', async () => {
    startProcessLauncher();
    const child = await launchProcess('cat', [], { stdin: true, stdout: true });
    const launcher = await launcherPid();
    expect(launcher).toBeGreaterThan(0);
    expect(parentOf(child.pid!)).toBe(launcher);
    expect(parentOf(child.pid!)).not.toBe(process.pid);
    expect(getPriority(child.pid!)).toBe(Math.min(19, getPriority(0) + backgroundNiceness));
    const outcome = outcomeOf(child);
    child.stdin!.end('through the launcher\n');
    expect(await outcome).toEqual({ stdout: 'through the launcher\n', stderr: '', code: 0, signal: null });
  });

  it('loses none of what a program writes before its pipes reach the host', async () => {
    // The launcher waits 300 ms before handing the pipes over; `ffmpeg -version` has written everything by then.
    const reasons: string[] = [];
    startProcessLauncher({ launcherArgs: ['--hand-off-delay-ms=300'], onFallback: (reason) => reasons.push(reason) });
    const expected = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout;
    expect(expected.length).toBeGreaterThan(200);
    const child = await launchProcess('ffmpeg', ['-version'], { stdin: false, stdout: true });
    expect(child).toBeInstanceOf(RemoteProcess); // the launcher started it (it exits too soon to ask /proc for its parent)
    const outcome = await outcomeOf(child);
    expect(outcome.stdout).toBe(expected);
    expect(outcome.code).toBe(0);
    expect(reasons).toEqual([]);
    expect(await launcherPid()).toBeGreaterThan(0);
  });

  it("reports a failing program's exit code and stderr, a killed one's signal, and a missing binary as ENOENT", async () => {
    const failing = await outcomeOf(await launchProcess('sh', ['-c', 'echo broken >&2; exit 3'], { stdin: false, stdout: false }));
    expect(failing).toMatchObject({ stderr: 'broken\n', code: 3, signal: null });

    const sleeper = await launchProcess('sleep', ['30'], { stdin: false, stdout: false });
    const ended = outcomeOf(sleeper);
    expect(sleeper.kill('SIGTERM')).toBe(true);
    expect(await ended).toMatchObject({ code: null, signal: 'SIGTERM' });

    const missing = await launchProcess('/nonexistent/ffmpeg', [], { stdin: false, stdout: false });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => missing.once('error', resolve));
    expect(error.code).toBe('ENOENT');
  });

  it('when the launcher dies, reports the running program as failed and starts later ones on the host', async () => {
    const reasons: string[] = [];
    startProcessLauncher({ onFallback: (reason) => reasons.push(reason) });
    const running = await launchProcess('sleep', ['30'], { stdin: false, stdout: false });
    const failed = new Promise<Error>((resolve) => running.once('error', resolve));
    const closed = new Promise((resolve) => running.once('close', resolve));
    process.kill((await launcherPid())!, 'SIGKILL');
    expect((await failed).message).toMatch(/process launcher stopped/);
    await closed;
    process.kill(running.pid!, 'SIGKILL'); // orphaned by the killed launcher

    const later = await launchProcess('cat', [], { stdin: true, stdout: true });
    expect(parentOf(later.pid!)).toBe(process.pid);
    const outcome = outcomeOf(later);
    later.stdin!.end('on the host\n');
    expect((await outcome).stdout).toBe('on the host\n');
    expect(reasons).toEqual([expect.stringMatching(/process launcher stopped/)]);
  });
});
