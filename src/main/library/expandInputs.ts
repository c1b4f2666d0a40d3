import { lstat, readdir, realpath } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';

/** File extensions opened as stills. */
export const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif']);
/** File extensions opened as clips. */
export const clipExtensions = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi']);

/** What kind of media a path names, judged by its extension. */
export function mediaKindOf(path: string): 'image' | 'clip' | 'other' {
  const extension = extname(path).toLowerCase();
  return imageExtensions.has(extension) ? 'image' : clipExtensions.has(extension) ? 'clip' : 'other';
}

/** Options for {@link expandInputs}. */
export interface ExpandInputsOptions {
  /** Which media a folder contributes. @default ['image'] */
  kinds?: Array<'image' | 'clip'>;
}

/**
 * Turns command-line or dropped paths into a list of files: files are kept as given (even with an unknown extension,
 * so the user gets a clear per-file error rather than silence); folders contribute their images (and clips when asked),
 * recursively, in name order, skipping hidden entries and links that lead outside the folder.
 */
export async function expandInputs(paths: string[], options: ExpandInputsOptions = {}): Promise<string[]> {
  const kinds = new Set(options.kinds ?? ['image']);
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await lstat(absolute).catch(() => undefined);
    if (info?.isDirectory()) files.push(...(await walkFolder(absolute, await realpath(absolute), kinds)));
    else files.push(absolute);
  }
  return files;
}

async function walkFolder(folder: string, root: string, kinds: Set<string>): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await realpath(path).catch(() => undefined);
      if (!target || !isInside(root, target)) continue;
      const info = await lstat(target);
      isDirectory = info.isDirectory();
      isFile = info.isFile();
    }
    if (isDirectory) found.push(...(await walkFolder(path, root, kinds)));
    else if (isFile && kinds.has(mediaKindOf(path))) found.push(path);
  }
  return found;
}

function isInside(root: string, target: string): boolean {
  const path = relative(root, target);
  return path === '' || (!path.startsWith('..') && !path.startsWith(sep) && path !== '..');
}
