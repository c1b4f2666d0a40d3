import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { throwIfCancelled } from '../../shared/errors';

/** File extensions opened as stills. */
export const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif']);
/** File extensions opened as clips. */
export const clipExtensions = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi']);

/** What kind of media a path names, judged by its extension. */
export function mediaKindOf(path: string): 'image' | 'clip' | 'other' {
  const extension = extname(path).toLowerCase();
  return imageExtensions.has(extension) ? 'image' : clipExtensions.has(extension) ? 'clip' : 'other';
}

/** How deep a folder walk goes below the folder given. */
export const defaultMaxDepth = 32;
/** How many directory entries a walk looks at in all before it stops. */
export const defaultMaxEntries = 200_000;

/** Options for {@link expandInputs}. */
export interface ExpandInputsOptions {
  /** Which media a folder contributes. @default ['image'] */
  kinds?: Array<'image' | 'clip'>;
  /** Stops the walk between folders with `CANCELLED`. */
  signal?: AbortSignal;
  /** Folders deeper than this below the given folder are not entered (reported once). @default 32 */
  maxDepth?: number;
  /** The walk stops after looking at this many entries in all (reported once). @default 200000 */
  maxEntries?: number;
  /**
   * Real paths of folders already entered; filled in by the walk. Share one set across calls that expand paths one by
   * one, so a folder reached again through another given path is not listed twice.
   */
  visitedFolders?: Set<string>;
}

/** Why part of a folder was left out. */
export interface SkippedPath {
  path: string;
  reason: 'loop' | 'too-deep' | 'too-many-entries' | 'unreadable' | 'outside';
  /** A sentence for the user. */
  message: string;
}

/** What {@link expandInputsReport} found. */
export interface ExpandedInputs {
  files: string[];
  /**
   * Folders left out (each reported once): links that loop back, folders too deep, the entry cap, unreadable ones;
   * and per folder given, one line for its links that lead outside it (or nowhere), which are never followed.
   */
  skipped: SkippedPath[];
}

/**
 * Turns command-line or dropped paths into a list of files: files are kept as given (even with an unknown extension,
 * so the user gets a clear per-file error rather than silence); folders contribute their images (and clips when asked),
 * recursively, in name order, skipping hidden entries and links that lead outside the folder. A path reached twice
 * (a file named twice, or named and inside a folder given) is listed once, where it was first reached; a link inside
 * the folder is a name of its own and stays listed.
 */
export async function expandInputs(paths: string[], options: ExpandInputsOptions = {}): Promise<string[]> {
  return (await expandInputsReport(paths, options)).files;
}

/**
 * {@link expandInputs} with what was left out. Every folder is entered at most once by its real path, so links that
 * loop back (`ln -s . self`) or that reach the same folder twice add nothing and are reported once; the walk is bounded
 * by depth and by entry count and honours the signal between folders.
 */
export async function expandInputsReport(paths: string[], options: ExpandInputsOptions = {}): Promise<ExpandedInputs> {
  const walk: Walk = {
    kinds: new Set(options.kinds ?? ['image']),
    signal: options.signal,
    maxDepth: options.maxDepth ?? defaultMaxDepth,
    entriesLeft: options.maxEntries ?? defaultMaxEntries,
    visited: options.visitedFolders ?? new Set(),
    files: [],
    listed: new Set(),
    skipped: [],
    linksOutside: 0,
  };
  for (const path of paths) {
    throwIfCancelled(walk.signal, 'Opening the folder');
    const absolute = resolve(path);
    const info = await lstat(absolute).catch(() => undefined);
    // A link given by name is followed (the user chose it), but its folder is still entered only once.
    const isFolder = info?.isDirectory() || (info?.isSymbolicLink() && (await stat(absolute).catch(() => undefined))?.isDirectory());
    if (isFolder) {
      const root = await realpath(absolute);
      if (walk.visited.has(root)) continue;
      walk.visited.add(root);
      walk.linksOutside = 0;
      await walkFolder(walk, absolute, root, 0);
      if (walk.linksOutside > 0) {
        const count = walk.linksOutside === 1 ? 'A link' : `${walk.linksOutside} links`;
        walk.skipped.push({
          path: absolute,
          reason: 'outside',
          message: `${count} in ${absolute} ${walk.linksOutside === 1 ? 'leads' : 'lead'} outside it (or nowhere) and ${walk.linksOutside === 1 ? 'was' : 'were'} skipped: a folder opens only what lies inside it. Name linked files themselves to open them.`,
        });
      }
    } else addFile(walk, absolute);
  }
  return { files: walk.files, skipped: walk.skipped };
}

interface Walk {
  kinds: Set<string>;
  signal: AbortSignal | undefined;
  maxDepth: number;
  entriesLeft: number;
  /** Real paths of the folders entered so far. */
  visited: Set<string>;
  files: string[];
  /** The files listed so far, as absolute paths: a file named twice, or named and also in a folder given, is listed once. */
  listed: Set<string>;
  skipped: SkippedPath[];
  stoppedForEntries?: boolean;
  /** Links skipped in the folder being walked because they lead outside it or nowhere. */
  linksOutside: number;
}

function addFile(walk: Walk, path: string): void {
  if (walk.listed.has(path)) return;
  walk.listed.add(path);
  walk.files.push(path);
}

async function walkFolder(walk: Walk, folder: string, root: string, depth: number): Promise<void> {
  throwIfCancelled(walk.signal, 'Opening the folder');
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (depth === 0) throw error;
    walk.skipped.push({ path: folder, reason: 'unreadable', message: `The folder ${folder} could not be read; it was skipped.` });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const entry of entries) {
    if (walk.entriesLeft <= 0) {
      if (!walk.stoppedForEntries) {
        walk.stoppedForEntries = true;
        walk.skipped.push({ path: folder, reason: 'too-many-entries', message: `The folder has too many entries; only the first ones were opened.` });
      }
      return;
    }
    walk.entriesLeft -= 1;
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    let real = path;
    if (entry.isSymbolicLink()) {
      const target = await realpath(path).catch(() => undefined);
      const info = target && isInside(root, target) ? await stat(target).catch(() => undefined) : undefined;
      if (!target || !info) {
        walk.linksOutside += 1;
        continue;
      }
      isDirectory = info.isDirectory();
      isFile = info.isFile();
      real = target;
    } else if (isDirectory) {
      real = await realpath(path).catch(() => path);
    }
    if (isDirectory) {
      if (walk.visited.has(real)) {
        // Only links can reach a folder twice; report the link, once.
        if (entry.isSymbolicLink()) walk.skipped.push({ path, reason: 'loop', message: `${path} links back to a folder already opened; it was skipped.` });
        continue;
      }
      if (depth + 1 > walk.maxDepth) {
        if (!walk.skipped.some((skipped) => skipped.reason === 'too-deep')) walk.skipped.push({ path, reason: 'too-deep', message: `${path} is more than ${walk.maxDepth} folders deep; it was skipped.` });
        continue;
      }
      walk.visited.add(real);
      await walkFolder(walk, path, root, depth + 1);
    } else if (isFile && walk.kinds.has(mediaKindOf(path))) addFile(walk, path);
  }
}

function isInside(root: string, target: string): boolean {
  const path = relative(root, target);
  return path === '' || (!path.startsWith('..') && !path.startsWith(sep) && path !== '..');
}
