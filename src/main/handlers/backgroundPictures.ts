/**
 * Background pictures the artist opened in the renderer for the "On picture" view. The renderer holds a browser
 * `File`, which has no path in the web shell, so it sends the bytes and the engine keeps them here, in the user cache
 * folder, where a composite export (MP4 on the background) reads them like any `--background` picture. Each picture
 * is checked by the same intake as an opened one before it is kept, and stored under a name made from its content,
 * so choosing the same picture again reuses the file. Only the few most recently chosen are kept.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StudioError } from '../../shared/errors';
import { backgroundFileNamePattern } from '../../shared/projectFile';
import { decodeImage } from '../imageIo/decodeImage';
import { makeFolder } from '../files/makeFolder';

/** A kept background picture. */
export interface StoredBackground {
  /** Where exports read it (passed as `background` to exportItem and runBatch). */
  path: string;
  width: number;
  height: number;
}

/** How many pictures stay in the folder; older ones go when a new one arrives (each is at most ~10 MiB). */
export const keptBackgroundPictures = 16;

/** The file name a picture is kept under: its content hash and the extension of the format it really is. */
function storedName(bytes: Buffer, format: string): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const extension = format === 'jpeg' ? 'jpg' : /^[a-z0-9]{2,5}$/.test(format) ? format : 'img';
  return `${hash}.${extension}`;
}

/** Keeps background pictures in one folder. */
export class BackgroundPictures {
  constructor(readonly folder: string) {}

  /**
   * Checks and keeps a picture; `name` is the file name the artist chose (used in messages only).
   * @throws StudioError `FILE_EMPTY`, `DECODE_FAILED`, `UNSUPPORTED_FORMAT`, `IMAGE_TOO_LARGE` as for an opened picture.
   */
  async store(name: string, bytes: Buffer): Promise<StoredBackground> {
    const shownName = basename(name.replace(/\\/g, '/')).replace(/[\0/]/g, '') || 'background';
    if (bytes.length === 0) throw new StudioError('FILE_EMPTY', `The background ${shownName} is empty.`);
    await makeFolder(this.folder);
    // The picture is checked under the artist's file name, so the intake's messages name it.
    const incoming = join(this.folder, `.incoming-${randomUUID()}`);
    await makeFolder(incoming);
    try {
      const checkedPath = join(incoming, shownName);
      await writeFile(checkedPath, bytes);
      const { image, format } = await decodeImage(checkedPath);
      const path = join(this.folder, storedName(bytes, format));
      await rename(checkedPath, path);
      // A picture chosen again counts as the newest.
      const now = new Date();
      await utimes(path, now, now);
      await this.trim();
      return { path, width: image.width, height: image.height };
    } finally {
      await rm(incoming, { recursive: true, force: true });
    }
  }

  /**
   * The kept picture named `fileName` (a name `store` gave), for the media route; undefined for any other name or
   * one no longer kept. The name never becomes a path unless it is one of ours.
   */
  async find(fileName: string): Promise<string | undefined> {
    if (!backgroundFileNamePattern.test(fileName)) return undefined;
    const path = join(this.folder, fileName);
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? path : undefined;
  }

  /** True when `path` names a picture this folder would keep (what a project save may copy; nothing else is). */
  holds(path: string): boolean {
    const full = resolve(path);
    return dirname(full) === resolve(this.folder) && backgroundFileNamePattern.test(basename(full));
  }

  /**
   * Before an export over `background` (a colour, a picture path, or nothing): a picture of ours that was removed
   * since it was chosen (newer ones replaced it) gets a sentence the artist can act on, instead of the intake's
   * "file not found" naming a content hash.
   * @throws StudioError `FILE_NOT_FOUND`
   */
  async assertStillKept(background: string | undefined): Promise<void> {
    if (background === undefined || !this.holds(background)) return;
    if (await this.find(basename(background))) return;
    throw new StudioError('FILE_NOT_FOUND', 'The background picture is no longer kept (pictures chosen since replaced it): choose it again under View › On picture.');
  }

  /** Removes all but the most recently chosen pictures (and leftovers of interrupted checks). */
  private async trim(): Promise<void> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const pictures: Array<{ path: string; usedMs: number }> = [];
    for (const name of names) {
      const path = join(this.folder, name);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      if (name.startsWith('.incoming-')) {
        // Another check may be running right now: only leftovers older than an hour go.
        if (Date.now() - info.mtimeMs > 3_600_000) await rm(path, { recursive: true, force: true });
        continue;
      }
      if (info.isFile()) pictures.push({ path, usedMs: info.mtimeMs });
    }
    pictures.sort((a, b) => b.usedMs - a.usedMs);
    for (const { path } of pictures.slice(keptBackgroundPictures)) await rm(path, { force: true });
  }
}
