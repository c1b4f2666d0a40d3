/**
 * Finds and kills this process's own descendants by command line (Linux `/proc`), for fault tests that make ffmpeg die
 * in the middle of an export: the pipe to it closes early exactly as when it crashes or is killed by the system.
 * Descendants, not only children: ffmpeg is started by the process launcher, a child of ours. Never looks beyond
 * our own process tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** True where child processes can be listed (Linux with `/proc`); tests that need it skip elsewhere. */
export const canListChildProcesses = process.platform === 'linux' && existsSync('/proc/self/stat');

/** A live descendant of this process: its pid and arguments. */
export interface ChildProcessInfo {
  pid: number;
  argv: string[];
}

/** The live (not zombie) descendants of this process. */
export function listChildProcesses(): ChildProcessInfo[] {
  const parents = new Map<number, number>();
  const live = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last `)`.
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(parent));
      if (state !== 'Z') live.add(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let ancestor = parents.get(pid), depth = 0; ancestor !== undefined && depth < 8; ancestor = parents.get(ancestor), depth++) {
      if (ancestor === process.pid) return true;
    }
    return false;
  };
  const descendants: ChildProcessInfo[] = [];
  for (const pid of live) {
    if (!isOurs(pid)) continue;
    try {
      descendants.push({ pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      // The process ended while we looked.
    }
  }
  return descendants;
}

/**
 * Polls for a child whose arguments `match` and kills it with SIGKILL as soon as it appears. Resolves with its
 * arguments, or undefined when none appeared before `signal` (the run it watches ended) or `timeoutMs`.
 */
export async function killChildWhenItAppears(match: (argv: string[]) => boolean, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string[] | undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline && !options.signal?.aborted) {
    const child = listChildProcesses().find((candidate) => match(candidate.argv));
    if (child) {
      process.kill(child.pid, 'SIGKILL');
      return child.argv;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}
