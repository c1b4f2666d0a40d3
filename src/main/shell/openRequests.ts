import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * Paths the OS asked us to open, from a command line: `matte-studio <files or folders…>` on Linux and Windows (file
 * associations and "Open with" pass them as arguments, also to a second launch that hands them to the running
 * instance). Skips the executable, the app path when run as `electron .`, Chromium/Electron switches and anything
 * that does not exist. Relative paths are resolved against the launching process's working directory.
 */
export function pathsFromArgv(argv: readonly string[], workingDirectory: string, options: { isPackaged: boolean; exists?: (path: string) => boolean } = { isPackaged: true }): string[] {
  const exists = options.exists ?? existsSync;
  // Packaged: argv = [exe, ...args]. Development (`electron .`): argv = [electron, appPath, ...args].
  const args = argv.slice(options.isPackaged ? 1 : 2);
  const paths: string[] = [];
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-')) continue;
    const path = arg.startsWith('file://') ? decodeURIComponent(new URL(arg).pathname) : arg;
    const absolute = isAbsolute(path) ? path : resolve(workingDirectory, path);
    if (exists(absolute) && !paths.includes(absolute)) paths.push(absolute);
  }
  return paths;
}

/**
 * Collects `open-file` events (macOS) that arrive before the window is ready, then hands them over in one batch;
 * later requests go straight through.
 */
export class OpenRequestQueue {
  private pending: string[] = [];
  private deliver: ((paths: string[]) => void) | undefined;

  /** Queues or delivers paths. */
  add(paths: string[]): void {
    if (paths.length === 0) return;
    if (this.deliver) this.deliver(paths);
    else this.pending.push(...paths.filter((path) => !this.pending.includes(path)));
  }

  /** Starts delivering: flushes what was queued, then passes later requests straight on. */
  attach(deliver: (paths: string[]) => void): void {
    this.deliver = deliver;
    const queued = this.pending;
    this.pending = [];
    if (queued.length > 0) deliver(queued);
  }
}
