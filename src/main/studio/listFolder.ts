/**
 * The web shell's file browser: one folder's visible entries, folders first, then files in natural name order
 * (`clip2` before `clip10`). Electron uses native dialogs instead.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import { mediaKindOf } from '../library/expandInputs';

/** One entry of a listing. */
export interface FolderEntry {
  name: string;
  path: string;
  kind: 'folder' | 'image' | 'clip' | 'other';
}

/** A folder's listing; `parent` is null at the file-system root. */
export interface FolderListing {
  path: string;
  parent: string | null;
  entries: FolderEntry[];
}

/** Lists `path` (the user's home folder when absent; a leading `~` means home). Hidden entries are skipped. */
export async function listFolder(path?: string): Promise<FolderListing> {
  const home = homedir();
  const folder = resolve(path === undefined || path === '' ? home : path.replace(/^~(?=$|[/\\])/, home));
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw folderError(error, folder);
  }
  const entries: FolderEntry[] = [];
  await Promise.all(
    names
      .filter((name) => !name.startsWith('.'))
      .map(async (name) => {
        const entryPath = join(folder, name);
        // stat follows links, so a link to a folder browses like one; a broken link is left out.
        const info = await stat(entryPath).catch(() => undefined);
        if (!info) return;
        if (info.isDirectory()) entries.push({ name, path: entryPath, kind: 'folder' });
        else if (info.isFile()) entries.push({ name, path: entryPath, kind: mediaKindOf(entryPath) });
      }),
  );
  entries.sort((a, b) => Number(b.kind === 'folder') - Number(a.kind === 'folder') || a.name.localeCompare(b.name, undefined, { numeric: true }));
  const parent = dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, entries };
}

function folderError(error: unknown, folder: string): StudioError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new StudioError('FILE_NOT_FOUND', `The folder ${folder} was not found.`, String(error));
  if (code === 'ENOTDIR') return new StudioError('INVALID_INPUT', `${folder} is a file, not a folder.`, String(error));
  if (code === 'EACCES' || code === 'EPERM') return new StudioError('INVALID_INPUT', `The folder ${folder} cannot be opened: permission denied.`, String(error));
  return new StudioError('INVALID_INPUT', `The folder ${folder} cannot be listed.`, String(error));
}
