/**
 * The studio's opened items: each file gets an id that stays the same for its path (a short hash), so reopening a
 * folder keeps the renderer's selection and hand edits attached. Opening never throws for one bad path: each failure
 * is reported with a plain reason and the rest still open.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { thumbnailPath } from '../../shared/contract/mediaPaths';
import type { ItemInfo } from '../../shared/contract/studioContract';
import { isStudioError, StudioError, toErrorData, type ErrorCode } from '../../shared/errors';
import { defaultMaxPixels, inspectImage } from '../imageIo/decodeImage';
import { expandInputsReport, mediaKindOf } from '../library/expandInputs';
import { probeMedia, type MediaInfo } from '../media/probeMedia';

/** One opened file. */
export interface StudioItem {
  readonly info: ItemInfo;
  /** Clips only: the probe, reused by every decode. */
  readonly media?: MediaInfo;
  /** File size and modification time when probed: a change means every cached result of the item is stale. */
  readonly stamp: string;
}

/** A path that could not be opened. */
export interface OpenFailure {
  path: string;
  code: ErrorCode;
  message: string;
}

/** How many files are probed at once (ffprobe processes and sharp header reads). */
const probeConcurrency = 4;

/** The id of a path: stable across runs and reopenings, opaque to the renderer. */
export function itemIdFor(absolutePath: string): string {
  return createHash('sha256').update(absolutePath).digest('base64url').slice(0, 16);
}

/** Holds the opened items by id. */
export class ItemRegistry {
  private readonly items = new Map<string, StudioItem>();

  /**
   * @param onChanged Hears an item whose file changed since it was last opened (its caches must go).
   * @param maxPixels Largest still accepted (width × height), as in decodeImage.
   */
  constructor(
    private readonly onChanged: (id: string) => void = () => {},
    private readonly maxPixels = defaultMaxPixels,
  ) {}

  /** The item with this id, or undefined (ids from the wire are untrusted; unknown ones are simply absent). */
  find(id: string): StudioItem | undefined {
    return this.items.get(id);
  }

  /** The item with this id; `INVALID_INPUT` when it was never opened. */
  get(id: string): StudioItem {
    const item = this.items.get(id);
    if (!item) throw new StudioError('INVALID_INPUT', 'That picture or clip is no longer open. Open it again.', `unknown item id ${id}`);
    return item;
  }

  /** Opens files and folders (folders contribute their images and clips, recursively). */
  async open(paths: string[], signal?: AbortSignal): Promise<{ items: ItemInfo[]; failures: OpenFailure[] }> {
    const files: string[] = [];
    const failures: OpenFailure[] = [];
    const visitedFolders = new Set<string>();
    for (const path of paths) {
      // Folders are expanded one by one, so an unreadable folder fails alone; loops and caps are reported, not fatal.
      try {
        const expanded = await expandInputsReport([path], { kinds: ['image', 'clip'], signal, visitedFolders });
        files.push(...expanded.files);
        for (const skipped of expanded.skipped) failures.push({ path: skipped.path, code: 'INVALID_INPUT', message: skipped.message });
      } catch (error) {
        if (isStudioError(error, 'CANCELLED')) throw error;
        failures.push({ path, code: 'INVALID_INPUT', message: `The folder ${basename(path)} could not be read.` });
      }
    }
    const unique = [...new Set(files)];
    const results: Array<StudioItem | OpenFailure> = new Array(unique.length);
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const index = next++;
        results[index] = await this.probe(unique[index]!, signal).catch((error: unknown) => {
          if (isStudioError(error, 'CANCELLED')) throw error;
          const data = toErrorData(error);
          return { path: unique[index]!, code: data.code, message: data.code === 'INTERNAL' ? `${basename(unique[index]!)} could not be opened.` : data.message };
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(probeConcurrency, unique.length) }, worker));
    const items: ItemInfo[] = [];
    for (const result of results) {
      if ('info' in result) {
        const previous = this.items.get(result.info.id);
        if (previous && previous.stamp !== result.stamp) this.onChanged(result.info.id);
        this.items.set(result.info.id, result);
        items.push(result.info);
      } else failures.push(result);
    }
    return { items, failures };
  }

  private async probe(path: string, signal?: AbortSignal): Promise<StudioItem> {
    const absolute = resolve(path);
    const name = basename(absolute);
    const info = await stat(absolute).catch((error: unknown) => {
      throw new StudioError('FILE_NOT_FOUND', `${name} was not found.`, String(error));
    });
    if (info.isDirectory()) throw new StudioError('INVALID_INPUT', `${name} is a folder with nothing Matte Studio can open.`);
    if (!info.isFile()) throw new StudioError('UNSUPPORTED_FORMAT', `${name} is not a regular file.`);
    if (info.size === 0) throw new StudioError('FILE_EMPTY', `${name} is empty (0 bytes).`);
    const stamp = fileStamp(info);
    const id = itemIdFor(absolute);
    const base = { id, path: absolute, name, thumbnailUrl: thumbnailPath(id) };
    const kind = mediaKindOf(absolute);
    if (kind === 'image') {
      // Decode-checked now (format allowlist, pixel cap, a reduced decode to the end): a truncated file or a
      // decompression bomb becomes a failure with a reason here, never an item whose thumbnail fails later.
      const { width, height } = await inspectImage(absolute, { maxPixels: this.maxPixels });
      return { info: { ...base, kind: 'image', width, height }, stamp };
    }
    if (kind === 'clip') {
      const media = await probeMedia(absolute, { signal });
      const clip = { frameCount: media.frameCount, fps: media.fps, hasAudio: media.audio.length > 0 };
      return { info: { ...base, kind: 'clip', width: media.displayWidth, height: media.displayHeight, ...clip }, media, stamp };
    }
    throw new StudioError('UNSUPPORTED_FORMAT', `${name} is neither a picture nor a clip Matte Studio can open.`);
  }
}

/** What identifies a file's content for the caches: its size and modification time (an edited file gets a new stamp). */
export function fileStamp(info: { size: number; mtimeMs: number }): string {
  return `${info.size}:${info.mtimeMs}`;
}
