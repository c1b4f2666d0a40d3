/**
 * Maps a request path to a file inside one folder, refusing every way out: `..` (raw or percent-encoded), encoded
 * slashes and backslashes, NUL bytes, dotfiles, and symlinks whose target lies outside the folder.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Where a request path leads: a file to send, or the status to answer with. */
export type StaticResolution = { filePath: string } | { status: 400 | 403 | 404 };

/** True when `child` is `root` itself or lies below it. Both must be absolute and normalised. */
export function isInside(root: string, child: string): boolean {
  const path = relative(root, child);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

/**
 * Splits a raw URL path (`/assets/app.js`, still percent-encoded) into safe segments.
 * @returns the segments, or the status to refuse with.
 */
export function toSafeSegments(rawPath: string): string[] | { status: 400 | 403 } {
  if (!rawPath.startsWith('/')) return { status: 400 };
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { status: 400 };
    }
    // Decoding happens per segment, so an encoded `/` or `\` could smuggle a separator in; `:` opens Windows
    // drive letters and alternate data streams; a leading dot covers `..` and dotfiles such as `.env`.
    if (segment.startsWith('.') || /[/\\:\0]/.test(segment)) return { status: 403 };
    if (segment !== '') segments.push(segment);
  }
  return segments;
}

/**
 * Resolves `rawPath` against `rootRealPath` (the folder's real path, symlinks resolved). A path ending in `/` means
 * that folder's `index.html`.
 */
export async function resolveStaticPath(rootRealPath: string, rawPath: string): Promise<StaticResolution> {
  const segments = toSafeSegments(rawPath);
  if (!Array.isArray(segments)) return segments;
  if (rawPath.endsWith('/')) segments.push('index.html');
  const candidate = join(rootRealPath, ...segments);
  if (!isInside(rootRealPath, candidate)) return { status: 403 };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { status: 404 };
  }
  // A symlink inside the folder may point anywhere; what counts is where it really leads.
  if (!isInside(rootRealPath, real)) return { status: 403 };
  try {
    if (!(await stat(real)).isFile()) return { status: 404 };
  } catch {
    return { status: 404 };
  }
  return { filePath: real };
}
