import { open } from 'node:fs/promises';
import { outputError } from '../../files/atomicWrite';
import { prepareOutputFile } from '../../media/outputTarget';

/**
 * Writes `data` to `path` the way clip exports do: under a hidden temporary name that is renamed into place once
 * complete (so a cancel or a full disk leaves no partial file and an existing file untouched), or straight through when
 * the path is a device (e.g. a link to `/dev/null` for a dry run), since renaming over a device would replace it.
 * `mayReplace: false`: a file that appeared at `path` meanwhile is kept (see `prepareOutputFile`).
 * @throws StudioError `DISK_FULL`, `OUTPUT_UNWRITABLE`, `OUTPUT_EXISTS`
 */
export async function writeOutputFile(path: string, data: Uint8Array, options: { mayReplace?: boolean } = {}): Promise<void> {
  const target = await prepareOutputFile(path, options);
  try {
    const handle = await open(target.tempPath, target.isDirect ? 'w' : 'wx');
    try {
      await handle.writeFile(data);
      if (!target.isDirect) await handle.sync();
    } finally {
      await handle.close();
    }
    await target.commit();
  } catch (error) {
    await target.discard();
    throw outputError(error, path);
  }
}
