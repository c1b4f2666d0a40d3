/**
 * The web shell's file browser: one folder's visible entries, folders first, then files in natural name order
 * (`clip2` before `clip10`). Electron uses native dialogs instead.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { StudioError, throwIfCancelled } from '../../shared/errors';
import { defaultWriteScope, type WriteScope } from '../files/writeScope';
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
  /** True when the folder had more visible entries than the cap and only the first (in name order) were listed. */
  truncated?: boolean;
}

/** How many entries a listing shows at most (a folder of millions of files must not stall the studio). */
export const maxListedEntries = 10_000;

/** Options of {@link listFolder}. */
export interface ListFolderOptions {
  /** Stops the listing between chunks of entries with `CANCELLED` (the renderer cancels a listing it navigated away from). */
  signal?: AbortSignal;
  /** Entries shown at most. @default maxListedEntries */
  maxEntries?: number;
  /** Records the listed folder as one the user browsed to (the web shell's Save/Export dialog). @default defaultWriteScope */
  writeScope?: Pick<WriteScope, 'allow'>;
}

/**
 * Lists `path` (the user's home folder when absent; a leading `~` means home). Hidden entries are skipped; at most
 * `maxEntries` entries are looked at (`truncated` then says so). Links are followed one level only (a listing never
 * recurses), so link loops cannot stall it.
 * @throws StudioError `FILE_NOT_FOUND`, `INVALID_INPUT` (not a folder, no permission), `CANCELLED`
 */
export async function listFolder(path?: string, options: ListFolderOptions = {}): Promise<FolderListing> {
  const { signal } = options;
  const maxEntries = options.maxEntries ?? maxListedEntries;
  throwIfCancelled(signal, 'Listing the folder');
  const home = homedir();
  const folder = resolve(path === undefined || path === '' ? home : path.replace(/^~(?=$|[/\\])/, home));
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw folderError(error, folder);
  }
  throwIfCancelled(signal, 'Listing the folder');
  const visible = names.filter((name) => !name.startsWith('.'));
  const truncated = visible.length > maxEntries;
  const entries: FolderEntry[] = [];
  // Stat in bounded chunks so one huge folder does not open thousands of handles at once; the signal is heard between.
  const chunkSize = 64;
  const shown = visible.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).slice(0, maxEntries);
  for (let start = 0; start < shown.length; start += chunkSize) {
    throwIfCancelled(signal, 'Listing the folder');
    await Promise.all(
      shown.slice(start, start + chunkSize).map(async (name) => {
        const entryPath = join(folder, name);
        // stat follows links, so a link to a folder browses like one; a broken link is left out.
        const info = await stat(entryPath).catch(() => undefined);
        if (!info) return;
        if (info.isDirectory()) entries.push({ name, path: entryPath, kind: 'folder' });
        else if (info.isFile()) entries.push({ name, path: entryPath, kind: mediaKindOf(entryPath) });
      }),
    );
  }
  entries.sort((a, b) => Number(b.kind === 'folder') - Number(a.kind === 'folder') || a.name.localeCompare(b.name, undefined, { numeric: true }));
  throwIfCancelled(signal, 'Listing the folder');
  const parent = dirname(folder);
  // The web shell's browser is its Save/Export dialog: a folder the user browsed to may receive their outputs.
  (options.writeScope ?? defaultWriteScope).allow(folder, 'dialog', { recursive: false });
  return { path: folder, parent: parent === folder ? null : parent, entries, ...(truncated ? { truncated: true } : {}) };
}

function folderError(error: unknown, folder: string): StudioError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new StudioError('FILE_NOT_FOUND', `The folder ${folder} was not found.`, String(error));
  if (code === 'ENOTDIR') return new StudioError('INVALID_INPUT', `${folder} is a file, not a folder.`, String(error));
  if (code === 'EACCES' || code === 'EPERM') return new StudioError('INVALID_INPUT', `The folder ${folder} cannot be opened: permission denied.`, String(error));
  return new StudioError('INVALID_INPUT', `The folder ${folder} cannot be listed.`, String(error));
}
