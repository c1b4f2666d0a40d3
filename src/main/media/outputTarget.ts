/**
 * Atomic outputs: every export is written under a temporary name in the destination folder and renamed into place
 * only when complete, so a cancel, a crash or a full disk never leaves a partial file where the user looks for one.
 * The temporary name lives in the same folder because a rename is only atomic within one file system.
 */
import { access, constants, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import { outputError, sweepStaleTemporariesOnce, temporaryNameFor } from '../files/atomicWrite';

/** A file being written: ffmpeg writes `tempPath`; `commit` moves it to the final path, `discard` deletes it. */
export interface OutputTarget {
  /** The final absolute path. */
  readonly path: string;
  /** Where the writer should write now. */
  readonly tempPath: string;
  /**
   * True when the destination is a device or pipe (e.g. `/dev/null` for a dry run): it is written directly, because
   * renaming a file over a device node would replace the device.
   */
  readonly isDirect: boolean;
  commit(): Promise<void>;
  /** Deletes the temporary output; safe to call more than once and after commit (then it does nothing). */
  discard(): Promise<void>;
}

/**
 * Prepares writing the file `outputPath`. With `mayReplace: false` (the batch's suffix and skip policies) the commit
 * never replaces a file that appeared at the path meanwhile (another export into the same folder picked the same
 * free name): it fails with OUTPUT_EXISTS and leaves that file alone. @default mayReplace true
 * @throws StudioError `OUTPUT_UNWRITABLE`
 */
export async function prepareOutputFile(outputPath: string, options: { mayReplace?: boolean } = {}): Promise<OutputTarget> {
  const path = resolve(outputPath);
  const folder = dirname(path);
  await assertWritableFolder(folder);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw unwritable(path, 'it is a folder');
  if (existing && !existing.isFile()) {
    return { path, tempPath: path, isDirect: true, commit: async () => {}, discard: async () => {} };
  }
  await sweepStaleTemporariesOnce(folder);
  const extension = extname(path);
  // Hidden, unique, within 255 bytes, and keeping the extension so the file still opens sensibly if a crash leaves it.
  const tempPath = join(folder, temporaryNameFor(basename(path, extension), 'partial', extension));
  return makeTarget(path, tempPath, () => (options.mayReplace === false ? moveWithoutReplacing(tempPath, path) : rename(tempPath, path)));
}

/**
 * Moves the finished file into place only if nothing is there: a hard link fails with EEXIST where rename would
 * silently replace. File systems without hard links (FAT, some network shares) get a check just before the rename.
 */
async function moveWithoutReplacing(tempPath: string, path: string): Promise<void> {
  try {
    await link(tempPath, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw appearedMeanwhile(path);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
    if (await stat(path).then(() => true, () => false)) throw appearedMeanwhile(path);
    await rename(tempPath, path);
    return;
  }
  await rm(tempPath, { force: true });
}

function appearedMeanwhile(path: string): StudioError {
  return new StudioError(
    'OUTPUT_EXISTS',
    `${basename(path)} appeared in ${dirname(path)} while this result was being made (another export into the same folder?). It was left as it is, and this result was not saved: run again to write it under a free name.`,
  );
}

/**
 * Prepares writing the folder `folderPath` (an image sequence): the files go into a hidden sibling folder that replaces
 * `folderPath` on commit; an existing folder of that name is replaced only once the new one is complete, and only when
 * it holds nothing but what `isOwnEntry` recognises (an earlier export's frames): replacing it must not delete a
 * user's other files.
 */
export async function prepareOutputFolder(folderPath: string, isOwnEntry: (name: string) => boolean = () => false): Promise<OutputTarget> {
  const path = resolve(folderPath);
  const parent = dirname(path);
  await assertWritableFolder(parent);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw unwritable(path, 'a file with that name exists');
  if (existing) {
    const others = (await readdir(path).catch(() => [])).filter((name) => !isOwnEntry(name));
    if (others.length > 0) {
      const named = others.slice(0, 3).map((name) => `“${name}”`).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
      throw new StudioError(
        'OUTPUT_UNWRITABLE',
        `${path} already holds other files (${named}), so it was not replaced. Choose another name, or move those files out first.`,
        `replacing the folder would delete: ${others.join(', ')}`,
      );
    }
  }
  await sweepStaleTemporariesOnce(parent);
  const tempPath = join(parent, temporaryNameFor(basename(path)));
  try {
    await mkdir(tempPath);
  } catch (error) {
    throw outputError(error, path);
  }
  return makeTarget(path, tempPath, async () => {
    if (!existing) return rename(tempPath, path);
    // Two renames cannot be atomic together; keeping the old folder until the new one is in place loses nothing.
    const oldPath = join(parent, temporaryNameFor(basename(path), 'old'));
    await rename(path, oldPath);
    await rename(tempPath, path);
    await rm(oldPath, { recursive: true, force: true });
  });
}

function makeTarget(path: string, tempPath: string, move: () => Promise<void>): OutputTarget {
  let state: 'open' | 'committed' | 'discarded' = 'open';
  let discarding: Promise<void> | undefined;
  return {
    path,
    tempPath,
    isDirect: false,
    async commit() {
      if (state !== 'open') throw new StudioError('INTERNAL', 'Matte Studio tried to finish an export twice.', `${state}: ${path}`);
      try {
        await move();
        state = 'committed';
      } catch (error) {
        await this.discard();
        throw outputError(error, path);
      }
    },
    discard() {
      if (state === 'committed') return Promise.resolve();
      state = 'discarded';
      discarding ??= rm(tempPath, { recursive: true, force: true }).catch(() => {});
      return discarding;
    },
  };
}

async function assertWritableFolder(folder: string): Promise<void> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: 'ENOTDIR' });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw unwritable(folder, error instanceof Error ? error.message : String(error), error);
  }
}

function unwritable(path: string, detail: string, cause?: unknown): StudioError {
  return new StudioError('OUTPUT_UNWRITABLE', `Matte Studio cannot write ${path}. Choose another location.`, detail, { cause });
}
