/**
 * Starts programs (ffmpeg, ffprobe) without holding the host thread: on Linux through the process launcher
 * (`launcherProcess.ts`), a small Node process forked at start-up; elsewhere, or when the launcher cannot run, with
 * `spawn` here. libuv uses fork() only on Linux: macOS and Windows start programs without copying the caller.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { stdioFor, type LaunchPipes, type LauncherReply, type LauncherRequest, type StdioSlot } from './launcherProtocol';
import { RemoteProcess, type LaunchedProcess } from './remoteProcess';
import { resolveEsmExport, workerBeside } from './startModuleWorker';
import { lowerChildPriority } from './threadPriority';

export type { LaunchedProcess } from './remoteProcess';
export type { LaunchPipes } from './launcherProtocol';

/** Options for {@link startProcessLauncher}. */
export interface ProcessLauncherOptions {
  /** The launcher's module; `null` starts every program here. @default `launcherProcess` beside this file (`.ts` or `.js`) */
  entry?: URL | null;
  /** Hears why programs start here instead (once). */
  onFallback?: (reason: string) => void;
  /** Tests only: arguments for the launcher process. */
  launcherArgs?: string[];
}

/** How long the launcher may take to start (Electron running as Node takes longest) before programs start here. */
const startTimeoutMs = 15_000;

let launcher: Promise<Launcher | undefined> | undefined;

/**
 * Starts the launcher, once per process; later calls keep the first one. Call it at start-up, while the process is
 * small: the launcher's own start is the one fork of the host it costs.
 */
export function startProcessLauncher(options: ProcessLauncherOptions = {}): void {
  launcher ??= openLauncher(options);
}

/** Starts `binary` with `args`: stderr is always a pipe; stdin and stdout as asked, otherwise closed. */
export async function launchProcess(binary: string, args: readonly string[], pipes: LaunchPipes): Promise<LaunchedProcess> {
  startProcessLauncher();
  const running = await launcher;
  const launched = running?.isUsable ? await running.launch(binary, args, pipes) : undefined;
  return launched ?? spawnHere(binary, args, pipes);
}

/** Stops the launcher (tests); the next launch starts a new one. */
export async function stopProcessLauncher(): Promise<void> {
  const running = await launcher;
  launcher = undefined;
  await running?.stop();
}

/** The launcher's process id, or undefined when programs start here (tests). */
export async function launcherPid(): Promise<number | undefined> {
  const running = await launcher;
  return running?.isUsable ? running.pid : undefined;
}

function spawnHere(binary: string, args: readonly string[], pipes: LaunchPipes): ChildProcess {
  const child = spawn(binary, args, { stdio: stdioFor(pipes), windowsHide: true });
  lowerChildPriority(child.pid); // encoding and decoding yield to the host's menus, IPC and progress
  return child;
}

async function openLauncher(options: ProcessLauncherOptions): Promise<Launcher | undefined> {
  const fallBack = (reason: string) => {
    options.onFallback?.(reason);
    return undefined;
  };
  if (process.platform !== 'linux') return undefined;
  const entry = options.entry === undefined ? workerBeside(import.meta.url, 'launcherProcess') : options.entry;
  if (entry === null) return undefined;
  let child: ChildProcess;
  try {
    const path = fileURLToPath(entry);
    // Under tsx the entry is TypeScript: the launcher loads tsx first. Built, it is plain Node (in Electron, fork runs
    // Electron as Node through ELECTRON_RUN_AS_NODE; a packaged app with that fuse off falls back below).
    const execArgv = path.endsWith('.ts') ? ['--import', resolveEsmExport('tsx', '.')] : [];
    child = fork(path, options.launcherArgs ?? [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
  } catch (error) {
    return fallBack(`the process launcher could not start: ${String(error)}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const started = await new Promise<string | undefined>((resolve) => {
    timer = setTimeout(() => resolve(`the process launcher did not start within ${startTimeoutMs} ms`), startTimeoutMs);
    child.once('message', (message: LauncherReply) => resolve(message.kind === 'ready' ? undefined : 'the process launcher sent an unexpected first message'));
    child.once('error', (error) => resolve(`the process launcher could not start: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`the process launcher exited while starting (${code ?? signal})`));
  }).finally(() => {
    clearTimeout(timer);
    child.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
  });
  if (started !== undefined) {
    child.kill('SIGKILL');
    return fallBack(started);
  }
  return new Launcher(child, fallBack);
}

/** The host's side of a running launcher: one request id per program, and the programs still running. */
class Launcher {
  isUsable = true;
  private nextId = 1;
  private readonly programs = new Map<number, { remote: RemoteProcess; settle: (remote: RemoteProcess | undefined) => void }>();

  constructor(
    private readonly child: ChildProcess,
    private readonly fallBack: (reason: string) => void,
  ) {
    child.on('message', (message: LauncherReply, handle?: Socket) => this.receive(message, handle));
    child.on('exit', (code, signal) => this.lost(`the process launcher stopped (${code ?? signal})`));
    child.on('error', (error) => this.lost(`the process launcher failed: ${error.message}`));
    this.idle();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts a program: its process once it runs and its pipes are here, or undefined to start it on the host. */
  launch(binary: string, args: readonly string[], pipes: LaunchPipes): Promise<RemoteProcess | undefined> {
    const id = this.nextId++;
    const slots: StdioSlot[] = [...(pipes.stdin ? [0 as const] : []), ...(pipes.stdout ? [1 as const] : []), 2];
    const remote = new RemoteProcess(slots, (signal) => this.send({ kind: 'kill', id, signal }));
    remote.once('close', () => {
      this.programs.delete(id);
      if (this.programs.size === 0) this.idle();
    });
    return new Promise((settle) => {
      this.programs.set(id, { remote, settle });
      // While programs run the channel keeps the host alive, so their exit status always arrives.
      this.child.ref();
      this.child.channel?.ref();
      this.send({ kind: 'spawn', id, binary, args: [...args], stdin: pipes.stdin, stdout: pipes.stdout });
    });
  }

  async stop(): Promise<void> {
    this.isUsable = false;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private receive(message: LauncherReply, handle: Socket | undefined): void {
    if (message.kind === 'ready') return;
    const program = this.programs.get(message.id);
    if (!program) return void handle?.destroy();
    const { remote, settle } = program;
    if (message.kind === 'started') remote.pid = message.pid;
    else if (message.kind === 'stdio' && handle) remote.attach(message.slot, handle);
    else if (message.kind === 'exit') remote.exit(message.code, message.signal);
    else if (message.kind === 'failed') {
      // A program that did not start goes to the host, which reports it as before (e.g. ENOENT as ffmpeg missing).
      this.programs.delete(message.id);
      if (message.code === 'ELAUNCHER') this.disable(message.message);
      settle(undefined);
      if (this.programs.size === 0) this.idle();
      return;
    }
    if (remote.pid !== undefined && remote.hasAllPipes) settle(remote);
  }

  private send(request: LauncherRequest): void {
    if (this.child.connected) this.child.send(request);
  }

  /** Nothing running: the launcher no longer keeps the host alive. */
  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private disable(reason: string): void {
    if (!this.isUsable) return;
    this.isUsable = false;
    this.fallBack(reason);
  }

  private lost(reason: string): void {
    this.disable(reason);
    for (const { remote, settle } of this.programs.values()) {
      // Not yet handed over: start it on the host instead. Already running: its exit status is lost with the launcher.
      if (remote.pid === undefined || !remote.hasAllPipes) settle(undefined);
      else remote.lose(new Error(reason));
    }
    this.programs.clear();
  }
}
