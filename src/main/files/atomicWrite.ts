import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StudioError } from '../../shared/errors';

/**
 * A temporary path beside `finalPath` (same folder, so the final rename is atomic on one file system).
 * Hidden and clearly marked so a crash leaves an obviously disposable file, never one with the final name.
 */
export function temporaryPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
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
  return new StudioError('OUTPUT_UNWRITABLE', `Cannot write ${name}.`, String(error));
}

/**
 * Writes `data` to `finalPath` atomically: temporary file, fsync, rename. On any failure the temporary file is removed
 * and an existing file at `finalPath` is left untouched.
 */
export async function writeFileAtomically(finalPath: string, data: Uint8Array | string): Promise<void> {
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
