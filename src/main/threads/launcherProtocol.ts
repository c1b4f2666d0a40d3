/** The messages between the host and the process launcher (`launcherProcess.ts`, driven by `processLauncher.ts`). */

/** What the host asks: start a program with the pipes it wants, or send a started one a signal. */
export type LauncherRequest =
  | { kind: 'spawn'; id: number; binary: string; args: string[]; stdin: boolean; stdout: boolean }
  | { kind: 'kill'; id: number; signal: NodeJS.Signals };

/** Which pipes a program gets: stderr always (the failure detail), stdin and stdout when asked. */
export interface LaunchPipes {
  stdin: boolean;
  stdout: boolean;
}

/** The `stdio` option that gives a program {@link LaunchPipes}, wherever it is spawned from. */
export function stdioFor(pipes: LaunchPipes): ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe'] {
  return [pipes.stdin ? 'pipe' : 'ignore', pipes.stdout ? 'pipe' : 'ignore', 'pipe'];
}

/** Which of a started program's pipes a `stdio` message carries (as its handle). */
export type StdioSlot = 0 | 1 | 2;

/**
 * What the launcher answers. For one spawn the order is `started`, one `stdio` per pipe (each with the pipe's socket as
 * the message's handle), then `exit`; or `failed` alone. Node's channel keeps that order: while a handle waits for its
 * acknowledgement, later messages queue behind it.
 */
export type LauncherReply =
  | { kind: 'ready' }
  | { kind: 'started'; id: number; pid: number }
  | { kind: 'stdio'; id: number; slot: StdioSlot }
  | { kind: 'failed'; id: number; message: string; code?: string }
  | { kind: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };
