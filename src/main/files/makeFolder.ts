import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** An errno-style error from {@link makeFolder}; `danglingLink` names a link on the path that points nowhere. */
export type MakeFolderError = NodeJS.ErrnoException & { danglingLink?: string };

/**
 * Makes `folder` and any missing parents, like `mkdir -p`.
 *
 * Why not `mkdir(folder, { recursive: true })`: Node 20's recursive mkdir never returns for a path below a file system
 * that refuses new entries with ENOENT (`/proc/nope`): it retries the parent (EEXIST) and the child (ENOENT) forever,
 * holding a libuv thread and every job queued behind it. Here each missing level is made once, from the deepest
 * existing folder down, so every failure surfaces as the errno of the level that failed.
 * @throws the `mkdir`/`stat` error (code ENOTDIR when part of the path is a file, EEXIST when `folder` itself is one);
 *   a link that points nowhere fails with code ENOENT and `danglingLink` set.
 */
export async function makeFolder(folder: string): Promise<void> {
  const target = resolve(folder);
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const found = await stat(current).then(
      (stats) => stats,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (found !== undefined) {
      if (found.isDirectory()) break;
      throw errnoError(current === target ? 'EEXIST' : 'ENOTDIR', current, `${current} is a file, not a folder`);
    }
    const parent = dirname(current);
    if (parent === current) break;
    missing.push(current);
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Made meanwhile by someone else (fine), or a link to nothing sits at this name.
      const made = await stat(level).catch(() => undefined);
      if (made?.isDirectory()) continue;
      if (made === undefined) {
        throw Object.assign(errnoError('ENOENT', level, `${level} is a link to something that no longer exists`), { danglingLink: level });
      }
      throw errnoError(level === target ? 'EEXIST' : 'ENOTDIR', level, `${level} is a file, not a folder`);
    }
  }
}

function errnoError(code: string, path: string, message: string): MakeFolderError {
  return Object.assign(new Error(`${code}: ${message}`), { code, path });
}
