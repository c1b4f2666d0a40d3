/**
 * A program the process launcher started, as the host sees it: the same surface as Node's ChildProcess for what the
 * media runner uses (pipes, pid, exit status, `kill`, and the 'error' and 'close' events).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { StdioSlot } from './launcherProtocol';

/** A started program, wherever it was started from: Node's ChildProcess satisfies this too. */
export interface LaunchedProcess extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals): boolean;
}

/**
 * Emits 'close' (code, signal) once the program has exited and every pipe it was given has arrived and closed, as
 * ChildProcess does; 'error' when the launcher went away before the program's exit was known.
 */
export class RemoteProcess extends EventEmitter implements LaunchedProcess {
  pid: number | undefined;
  stdin: Socket | null = null;
  stdout: Socket | null = null;
  stderr: Socket | null = null;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  private exited = false;
  private closed = false;
  private openPipes: number;
  private missingPipes: Set<StdioSlot>;

  constructor(
    expectedPipes: readonly StdioSlot[],
    private readonly sendSignal: (signal: NodeJS.Signals) => void,
  ) {
    super();
    this.missingPipes = new Set(expectedPipes);
    this.openPipes = expectedPipes.length;
  }

  /** True once every expected pipe has arrived. */
  get hasAllPipes(): boolean {
    return this.missingPipes.size === 0;
  }

  /** A pipe has arrived from the launcher. */
  attach(slot: StdioSlot, socket: Socket): void {
    if (!this.missingPipes.delete(slot)) return void socket.destroy();
    if (slot === 0) this.stdin = socket;
    else if (slot === 1) this.stdout = socket;
    else this.stderr = socket;
    socket.once('close', () => {
      this.openPipes--;
      this.closeIfDone();
    });
    // Once the program has gone nobody reads our end of its stdin; closing it is what ChildProcess does too.
    if (slot === 0 && this.exited) socket.destroy();
  }

  /** The program has exited. */
  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    this.signalCode = signal;
    this.stdin?.destroy();
    this.closeIfDone();
  }

  /** The launcher stopped before this program's exit was known (its pipes had all arrived): report it as failed. */
  lose(reason: Error): void {
    if (this.exited) return;
    this.emit('error', reason);
    for (const pipe of [this.stdin, this.stdout, this.stderr]) pipe?.destroy();
    this.exit(null, 'SIGKILL');
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    this.sendSignal(signal);
    return true;
  }

  private closeIfDone(): void {
    if (this.closed || !this.exited || this.openPipes > 0) return;
    this.closed = true;
    this.emit('close', this.exitCode, this.signalCode);
  }
}
