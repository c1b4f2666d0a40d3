import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import type { MakeFolderError } from './makeFolder';

/** Longest file name, in bytes, that common file systems (ext4, APFS, NTFS in UTF-16 units) accept. */
export const maxFileNameBytes = 255;

/**
 * The hidden temporary name for `finalName`: `.<name>.<marker>-<pid>-<8 hex><extension>`, with `<name>` shortened
 * (whole characters, never a split UTF-8 sequence) so the result stays within {@link maxFileNameBytes} bytes even for
 * a 254-byte final name. The pid lets a later run tell a crashed writer's leftovers from a live writer's file.
 * @param extension Kept at the end (e.g. `.mov`) so a leftover still opens sensibly; `''` for none.
 */
export function temporaryNameFor(finalName: string, marker: 'partial' | 'old' = 'partial', extension = ''): string {
  const suffix = `.${marker}-${process.pid}-${randomBytes(4).toString('hex')}${Buffer.byteLength(extension) <= 16 ? extension : ''}`;
  const budget = maxFileNameBytes - 1 - Buffer.byteLength(suffix);
  return `.${truncateUtf8(finalName, budget)}${suffix}`;
}

/** The longest prefix of `text` (whole code points) that fits `maxBytes` UTF-8 bytes. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end);
}

/**
 * A temporary path beside `finalPath` (same folder, so the final rename is atomic on one file system).
 * Hidden and clearly marked so a crash leaves an obviously disposable file, never one with the final name.
 */
export function temporaryPathFor(finalPath: string): string {
  return join(dirname(finalPath), temporaryNameFor(basename(finalPath)));
}

/** Temporary names made by {@link temporaryNameFor}: the writer's pid is group 1. */
const temporaryName = /^\..+\.(?:partial|old)-(\d+)-[0-9a-f]{8}(?:\.[^.]{1,15})?$/;
/** Temporary names of older versions (no pid): `.<stem>.<8 hex>.partial<ext>` and `.<name>.<8 hex>.old`. */
const legacyTemporaryName = /^\..+\.[0-9a-f]{8}\.(?:partial|old)(?:\.[^.]{1,15})?$/;
/** Legacy leftovers (no pid to check) are removed only when this old. */
const legacyStaleAfterMs = 24 * 60 * 60 * 1000;

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary outputs that a killed writer (SIGTERM, SIGKILL, a crash) left in `folder`: only names this module
 * makes, and only when their writer's process is gone (or, for pid-less names of older versions, after a day).
 * Never throws; returns the names removed.
 */
export async function sweepStaleTemporaries(folder: string, now = Date.now()): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = temporaryName.exec(name)?.[1];
    let isStale = pid !== undefined && !isProcessAlive(Number(pid));
    if (pid === undefined && legacyTemporaryName.test(name)) {
      const info = await lstat(join(folder, name)).catch(() => undefined);
      isStale = info !== undefined && now - info.mtimeMs > legacyStaleAfterMs;
    }
    if (!isStale) continue;
    await rm(join(folder, name), { recursive: true, force: true }).then(
      () => removed.push(name),
      () => {},
    );
  }
  return removed;
}

const sweptFolders = new Map<string, Promise<string[]>>();

/** {@link sweepStaleTemporaries} once per folder per process: called before the first output goes into a folder. */
export function sweepStaleTemporariesOnce(folder: string): Promise<string[]> {
  const key = resolve(folder);
  let sweep = sweptFolders.get(key);
  if (!sweep) {
    sweep = sweepStaleTemporaries(key);
    sweptFolders.set(key, sweep);
  }
  return sweep;
}

/** Maps file-system errors on output to StudioErrors with plain messages. */
export function outputError(error: unknown, finalPath: string): StudioError {
  if (error instanceof StudioError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = basename(finalPath);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StudioError('DISK_FULL', `The disk is full: ${name} could not be written.`, String(error));
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StudioError('OUTPUT_UNWRITABLE', `Cannot write ${name}: the folder ${dirname(finalPath)} is not writable.`, String(error));
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new StudioError('OUTPUT_UNWRITABLE', `Cannot write ${name}: the folder ${dirname(finalPath)} does not exist.`, String(error));
  }
  if (code === 'ENAMETOOLONG') {
    return new StudioError('OUTPUT_UNWRITABLE', `Cannot write ${name}: the name is longer than the disk allows; choose a shorter name template.`, String(error));
  }
  return new StudioError('OUTPUT_UNWRITABLE', `Cannot write ${name}.`, String(error));
}

/** Why the output folder `folder` could not be made ({@link makeFolder} failed), in plain words. */
export function outputFolderError(error: unknown, folder: string): StudioError {
  const failure = error as MakeFolderError | undefined;
  const code = failure?.code;
  const detail = String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StudioError('DISK_FULL', `The disk is full: the folder ${folder} could not be made.`, detail);
  if (code === 'EEXIST') return new StudioError('OUTPUT_UNWRITABLE', `Cannot write the results into ${folder}: it is a file, not a folder.`, detail);
  if (code === 'ENOTDIR') return new StudioError('OUTPUT_UNWRITABLE', `Cannot write the results into ${folder}: part of that path is a file, not a folder.`, detail);
  if (code === 'EROFS') return new StudioError('OUTPUT_UNWRITABLE', `Cannot write the results into ${folder}: it is on a read-only disk.`, detail);
  if (code === 'EACCES' || code === 'EPERM') return new StudioError('OUTPUT_UNWRITABLE', `Cannot write the results into ${folder}: permission denied.`, detail);
  if (failure?.danglingLink !== undefined) {
    return new StudioError('OUTPUT_UNWRITABLE', `Cannot make the folder ${folder}: ${failure.danglingLink} is a link to something that no longer exists.`, detail);
  }
  // A parent that exists yet refuses new entries (`/proc`, `/sys`, a FUSE mount).
  if (code === 'ENOENT') return new StudioError('OUTPUT_UNWRITABLE', `Cannot make the folder ${folder}: that place does not accept new folders.`, detail);
  return new StudioError('OUTPUT_UNWRITABLE', `Cannot make the folder ${folder}.`, detail);
}

/**
 * Writes `data` to `finalPath` atomically: temporary file, fsync, rename. On any failure the temporary file is removed
 * and an existing file at `finalPath` is left untouched.
 */
export async function writeFileAtomically(finalPath: string, data: Uint8Array | string): Promise<void> {
  await sweepStaleTemporariesOnce(dirname(finalPath));
  const temporaryPath = temporaryPathFor(finalPath);
  try {
    const handle = await open(temporaryPath, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, finalPath);
  } catch (error) {
    await rm(temporaryPath, { force: true }).catch(() => {});
    throw outputError(error, finalPath);
  }
}
