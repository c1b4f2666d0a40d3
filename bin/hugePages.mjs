// Transparent huge pages for the CLI's heavy commands on Linux. With the kernel's THP mode at `madvise` (Debian's
// default), memory is handed out in 4 KiB pages, one page fault each; a model's working memory and every frame and
// plane are hundreds of megabytes of them (about 3 ms per MB on the 2-core VM). glibc asks for 2 MiB pages when the
// tunable `glibc.malloc.hugetlb=1` is set, but reads tunables only when a process starts: so the launcher starts
// itself once more with it set, forwards stop signals, and exits as the child did. Measured on the 2-core VM: a
// one-shot `cutout` of a 1080p portrait 6.9–7.4 → 5.5–6.6 s; `npm run bench -- batch` wall 2–5 % shorter and the
// host's event-loop p99 during a clip export 20.7–24.0 → 14.4–15.3 ms (2 runs each). `MATTE_STUDIO_HUGE_PAGES=0`
// turns it off.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Commands that move enough memory to gain; `serve` and the quick ones start directly. */
const heavyCommands = new Set(['cutout', 'video', 'batch']);
const tunable = 'glibc.malloc.hugetlb=1';
/** Set in the relaunched process to its launcher's pid: it must not relaunch again, and it watches for its launcher's end. */
const relaunchedMark = 'MATTE_STUDIO_RELAUNCHED';

/**
 * The environment to relaunch with, or undefined to run here: only for a heavy command, on Linux with glibc, with the
 * kernel's THP mode at `madvise` (at `always` every process gets huge pages anyway; at `never` none can).
 * @param facts what the decision reads, passed in so tests need not change the process
 */
export function relaunchEnvironment(command, env, facts = currentFacts()) {
  if (!heavyCommands.has(command) || facts.platform !== 'linux' || !facts.glibc || facts.thpMode !== 'madvise') return undefined;
  if (env[relaunchedMark] || env.MATTE_STUDIO_HUGE_PAGES === '0' || (env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return undefined;
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${tunable}` : tunable, [relaunchedMark]: String(facts.pid) };
}

function currentFacts() {
  let thpMode;
  try {
    thpMode = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
  } catch {
    thpMode = undefined;
  }
  return { platform: process.platform, glibc: Boolean(process.report?.getReport().header.glibcVersionRuntime), thpMode, pid: process.pid };
}

/**
 * Runs this launcher again with `env` and resolves with the exit code to leave with. SIGTERM and SIGHUP are passed
 * on; SIGINT too unless the launcher sits on a terminal, whose Ctrl+C already reaches the child (a second one would
 * end it at once instead of cancelling cleanly). A child ended by a signal ends the launcher by the same signal.
 */
export function relaunch(env) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forwarded = ['SIGTERM', 'SIGHUP', ...(process.stdin.isTTY ? [] : ['SIGINT'])];
  const handlers = forwarded.map((signal) => [signal, () => child.kill(signal)]);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  if (process.stdin.isTTY) process.on('SIGINT', () => {}); // the terminal told the child too
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`Could not start: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      if (code !== null) return resolve(code);
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      resolve(1); // if the signal did not end this process
    });
  });
}

/**
 * In a relaunched process: ends it at once when its launcher is gone (killed outright, so it could not pass a signal
 * on), as it would have ended had it run in the launcher itself.
 */
export function endWithLauncher(env) {
  const launcher = Number(env[relaunchedMark]);
  if (!launcher) return;
  // Compared with the pid the launcher wrote down: it may already be gone before this process gets here.
  const check = () => {
    if (parentPid() !== launcher) process.kill(process.pid, 'SIGKILL');
  };
  check();
  setInterval(check, 500).unref();
}

/** This process's parent now (`process.ppid` is read once at start): field 4 of /proc/self/stat, after the name. */
function parentPid() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
