/**
 * The process launcher: a small Node process that starts ffmpeg and ffprobe for the host and hands their pipes back
 * over its IPC channel (the sockets travel as file descriptors).
 *
 * Why: on Linux libuv starts a program with fork(), which copies the page tables of the whole calling process. The
 * studio's process maps over a gigabyte once models and kernel workers are loaded, so each ffmpeg start held the host
 * thread for 50–150 ms, a dozen times per clip export. This process is forked once while the host is still small, and
 * its own forks are cheap.
 *
 * Only Node built-ins, the protocol and the priority helper here: the file runs as its own entry (`out/main/launcherProcess.js` in the build).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { stdioFor, type LauncherReply, type LauncherRequest, type StdioSlot } from './launcherProtocol';
import { lowerThisThreadPriority } from './threadPriority';

/** Tests only: wait this long before handing pipes over, to prove output written meanwhile is not lost. */
const handOffDelayMs = Number(/^--hand-off-delay-ms=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 0);

const running = new Map<number, ChildProcess>();

// Everything started from here inherits this, as ffmpeg did when the host lowered it: encoding yields to the studio.
lowerThisThreadPriority();

process.on('message', (request: LauncherRequest) => {
  if (request.kind === 'spawn') start(request);
  else running.get(request.id)?.kill(request.signal);
});

// The host has gone (quit or crashed): its programs would only write into closed pipes, so stop them.
process.on('disconnect', () => {
  for (const child of running.values()) child.kill('SIGTERM');
  process.exit(0);
});

reply({ kind: 'ready' });

function start(request: Extract<LauncherRequest, { kind: 'spawn' }>): void {
  const { id } = request;
  let child: ChildProcess;
  try {
    child = spawn(request.binary, request.args, { stdio: stdioFor(request), windowsHide: true });
  } catch (error) {
    return reply({ kind: 'failed', id, message: String(error) });
  }
  const pipes: Array<[StdioSlot, Readable | Writable | null]> = [[0, child.stdin], [1, child.stdout], [2, child.stderr]];
  if (child.pid === undefined) {
    // Not started (a missing binary, no permission): 'error' follows on the next tick with the reason.
    child.once('error', (error: NodeJS.ErrnoException) => reply({ kind: 'failed', id, message: error.message, ...(error.code ? { code: error.code } : {}) }));
    for (const [, pipe] of pipes) pipe?.destroy();
    return;
  }
  // Node starts reading a child's output pipes as soon as it makes them; whatever this process read would be lost when
  // the pipe moves. Reading stops before the event loop next polls, so nothing has been read yet.
  for (const [slot, pipe] of pipes) if (slot > 0 && pipe && !stopReading(pipe)) return refuse(child, id);
  for (const [, pipe] of pipes) pipe?.on('error', () => {}); // a pipe's trouble is the host's to see, on its own end
  // The pipes are the host's now: detached, so the child's exit neither closes stdin nor resumes reading the others.
  Object.assign(child, { stdin: null, stdout: null, stderr: null, stdio: [null, null, null] });
  running.set(id, child);
  child.once('exit', (code, signal) => {
    running.delete(id);
    reply({ kind: 'exit', id, code, signal });
  });
  reply({ kind: 'started', id, pid: child.pid });
  const handOver = () => {
    for (const [slot, pipe] of pipes) if (pipe) process.send!({ kind: 'stdio', id, slot } satisfies LauncherReply, pipe as never);
  };
  if (handOffDelayMs > 0) setTimeout(handOver, handOffDelayMs);
  else handOver();
}

/** Stops libuv reading a pipe (Node's own handle; `pause()` only stops delivering what is still read). */
function stopReading(pipe: Readable | Writable): boolean {
  const handle = (pipe as unknown as { _handle?: { readStop?: () => number; reading?: boolean } })._handle;
  if (typeof handle?.readStop !== 'function') return false;
  handle.reading = false;
  return handle.readStop() === 0;
}

/** This Node cannot hand pipes over intact: the host starts its programs itself from now on. */
function refuse(child: ChildProcess, id: number): void {
  child.kill('SIGKILL');
  reply({ kind: 'failed', id, message: 'the launcher cannot hand over pipes in this Node version', code: 'ELAUNCHER' });
}

function reply(message: LauncherReply): void {
  process.send?.(message);
}
