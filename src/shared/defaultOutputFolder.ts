/**
 * Where exports go when the user has not chosen a folder: beside the sources' folder, never inside it. A `cutouts`
 * folder inside the sources' folder was picked up as input the next time that folder was opened or batched, so the
 * studio matted its own outputs. One rule for every entry point with a default (the Export panel, the Batch Export
 * dialog) and for the engine, which lets the desktop app write there (`main/files/writeScope.ts`).
 *
 * Pure string work on absolute paths with `/` or `\` separators: the renderer has no `node:path`.
 */

/** What the default output folder adds to the name of the folder it sits beside. */
export const outputFolderSuffix = ' cutouts';

/** The name of the default output folder at a file-system or drive root, which has no "beside". */
export const rootOutputFolderName = 'cutouts';

/**
 * The default output folder for a source folder: its sibling named after it, `/photos/portraits` →
 * `/photos/portraits cutouts`; at a root (`/`, `C:\`) a `cutouts` folder in it.
 */
export function outputFolderBeside(folder: string): string {
  const separator = separatorOf(folder);
  const trimmed = trimTrailingSeparators(folder);
  if (isRoot(trimmed)) return `${trimmed}${trimmed.endsWith(separator) ? '' : separator}${rootOutputFolderName}`;
  return `${trimmed}${outputFolderSuffix}`;
}

/**
 * The default output folder for source files: beside the deepest folder that holds them all, so
 * `/photos/portraits/a.jpg` → `/photos/portraits cutouts`, and `/photos/portraits/2019/a.jpg` with
 * `/photos/portraits/2020/b.jpg` → `/photos/portraits cutouts`. Empty for no sources.
 */
export function defaultOutputFolder(sourcePaths: readonly string[]): string {
  const folders = sourcePaths.map(folderOf);
  if (folders.length === 0) return '';
  return outputFolderBeside(folders.reduce(commonFolder));
}

/** The folder of a file path: `/a/b.jpg` → `/a`, `/b.jpg` → `/`, `C:\b.jpg` → `C:\`. */
export function folderOf(path: string): string {
  const trimmed = trimTrailingSeparators(path);
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (index < 0) return '.';
  const folder = trimmed.slice(0, index);
  // Keep the separator of a root: `/` and `C:\`, not `` and `C:`.
  return folder === '' || /^[a-zA-Z]:$/.test(folder) ? trimmed.slice(0, index + 1) : folder;
}

function commonFolder(a: string, b: string): string {
  const separator = separatorOf(a);
  const partsA = trimTrailingSeparators(a).split(/[\\/]/);
  const partsB = trimTrailingSeparators(b).split(/[\\/]/);
  let shared = 0;
  while (shared < partsA.length && shared < partsB.length && partsA[shared] === partsB[shared]) shared++;
  // Different drives share nothing: the first source's folder decides.
  if (shared === 0) return a;
  const common = partsA.slice(0, shared).join(separator);
  // Only the root is shared (`/a/x.jpg` and `/b/y.jpg`): `''` is `/`, `C:` is `C:\`.
  return common === '' || /^[a-zA-Z]:$/.test(common) ? `${common}${separator}` : common;
}

function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

function trimTrailingSeparators(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  if (trimmed === '') return path.slice(0, 1);
  // `C:\` trims to `C:`: keep its separator.
  return /^[a-zA-Z]:$/.test(trimmed) ? path.slice(0, 3) : trimmed;
}

function isRoot(path: string): boolean {
  return path === '/' || path === '\\' || /^[a-zA-Z]:[\\/]?$/.test(path);
}
