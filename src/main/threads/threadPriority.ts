/**
 * Background threads yield to the host. On Linux a thread has its own nice value, and threads it starts inherit it:
 * lowering a worker's priority before it opens its model session lowers onnxruntime's compute threads with it. With
 * the model's threads, a kernel worker and ffmpeg all busy on two cores, the host (the Electron main process: menus,
 * IPC, progress) otherwise waits its turn behind them; at a lower priority the workers still get every core the host
 * leaves idle, so an export loses nothing when nobody is using the studio.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the host the workers run (nice +5: a modest step; 19 would starve them under other load). */
export const backgroundNiceness = 5;

/**
 * Lowers the calling thread's priority by {@link backgroundNiceness} on Linux; elsewhere (one priority per process)
 * does nothing. Returns the thread's id and its new nice value, or `undefined` when nothing was changed.
 */
export function lowerThisThreadPriority(): { threadId: number; nice: number } | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // `/proc/thread-self` links to `<pid>/task/<tid>`: the kernel's id of this very thread.
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return undefined;
    const nice = Math.min(19, getPriority(threadId) + backgroundNiceness);
    setPriority(threadId, nice);
    return { threadId, nice: getPriority(threadId) };
  } catch {
    return undefined; // no /proc, or not allowed: the thread keeps the host's priority
  }
}

/**
 * Lowers a child process (ffmpeg) by {@link backgroundNiceness} right after it starts, before it opens its codec
 * threads (they inherit it). Where it cannot (the process is gone, not allowed), it keeps the host's priority.
 */
export function lowerChildPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, Math.min(19, getPriority(pid) + backgroundNiceness));
  } catch {
    // already exited, or the platform refuses: nothing to do
  }
}
