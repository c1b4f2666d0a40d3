/**
 * Durable small-file helpers for projects, recents and settings. `writeFileAtomically` (temp, fsync, rename) makes
 * a file whole-or-absent; these add the folder fsync that makes the rename itself survive a power cut, and the
 * "keep the bad file aside" step every reader of persisted data uses (DESIGN §4: nothing is silently lost).
 */
import { constants } from 'node:fs';
import { copyFile, open, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { outputError, outputFolderError, writeFileAtomically } from '../files/atomicWrite';
import { makeFolder } from '../files/makeFolder';

/**
 * Flushes a folder's entries (renames, new and deleted files) to disk. Windows cannot open folders for fsync and
 * some file systems refuse it (EINVAL, EISDIR, EPERM); there the OS orders metadata itself, so those are ignored.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EBADF') throw outputError(error, folder);
  } finally {
    await handle?.close();
  }
}

/** Atomic write (temp, fsync, rename) followed by a folder fsync, so the new file is durable when this resolves. */
export async function writeFileDurably(path: string, data: Uint8Array | string): Promise<void> {
  await writeFileAtomically(path, data);
  await syncFolder(dirname(path));
}

/** Writes JSON durably with a trailing newline (diff-friendly, and a truncated file is visibly so). */
export async function writeJsonDurably(path: string, value: unknown): Promise<void> {
  await writeFileDurably(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Creates a folder (and parents); errors become plain StudioErrors. */
export async function ensureFolder(folder: string): Promise<void> {
  try {
    await makeFolder(folder);
  } catch (error) {
    throw outputFolderError(error, folder);
  }
}

/** True when something exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Reads a text file; `undefined` when it does not exist. Other errors are thrown. */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The `.bad-<time>` name a damaged file is kept under; a counter avoids clobbering one kept in the same millisecond. */
function asidePath(path: string, attempt: number, now: number, folder = dirname(path)): string {
  return join(folder, `${basename(path)}.bad-${now}${attempt === 0 ? '' : `-${attempt}`}`);
}

/**
 * Keeps a damaged file aside as `<path>.bad-<time>` and returns that path. `mode: 'move'` renames it (settings: the
 * next write starts clean), `mode: 'copy'` leaves the original in place (projects: the artist's file stays where they
 * put it, while the copy survives any later save). `folder` puts the kept file elsewhere (damaged projects go to the
 * settings folder, never beside the user's file). Never overwrites an earlier kept file.
 */
export async function keepAside(path: string, mode: 'move' | 'copy', now = Date.now(), folder?: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const aside = asidePath(path, attempt, now, folder);
    try {
      if (mode === 'copy') await copyFile(path, aside, constants.COPYFILE_EXCL);
      else {
        // rename would replace an existing file, so claim the name first with an exclusive copy, then rename over it.
        await copyFile(path, aside, constants.COPYFILE_EXCL);
        await rename(path, aside);
      }
      await syncFolder(dirname(aside));
      return aside;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputError(error, aside);
    }
  }
  throw outputError(new Error('too many kept-aside copies'), path);
}
