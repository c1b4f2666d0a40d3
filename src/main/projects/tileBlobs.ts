/**
 * Hand-edit tiles on disk: one binary blob per edited frame in the sidecar folder, named by the SHA-256 of its
 * payload (`<sha256>.mstiles`). Binary rather than the renderer's base64 JSON because base64 costs a third more bytes
 * and a JSON parse of megabytes; deflate then shrinks masks (mostly 0 and 255) many times over.
 *
 * Why content addressing makes saves crash-safe: a blob only ever appears under its final name after its bytes were
 * fsync'd (temp + fsync + rename), so a named blob is always whole and always holds exactly what its name says. A
 * save writes the blobs it needs, fsyncs the folder, and only then replaces the project JSON (the one pointer that
 * lists blobs). Blobs the new JSON does not name are deleted afterwards. Whichever JSON a restart finds, every blob
 * it names is present and complete; unchanged frames are reused, so autosave rewrites only what changed.
 *
 * Blob layout (little-endian): `MSTL` u8 version, u8 compression=1 (raw deflate), u16 tileSizePx, u32 payload
 * bytes, then the deflated payload: u32 width, u32 height, u32 tileCount, and per tile (row-major order) u32 tileX,
 * u32 tileY, u8 flags (bit 0: add plane stored, bit 1: remove plane stored, bit 2: Refine Edge marks stored), then
 * the stored planes in that order at the tile's own size. An absent plane is all zero (the renderer's `''`).
 * Version 1 blobs never set bit 2; a blob that does is written as version 2, so a build from before the Refine Edge
 * brush says "made by a newer Matte Studio" instead of misreading the marks as damage.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants as zlibConstants, deflateRaw, inflateRaw } from 'node:zlib';
import { StudioError } from '../../shared/errors';
import { maskTileSizePx, type MaskBlobEntry } from '../../shared/projectFile';
import { writeFileAtomically } from '../files/atomicWrite';
import { pathExists, syncFolder } from './durableFiles';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** One tile of the planes, row-major at the tile's own size; a zero-length (or absent) plane means all zero. */
export interface TileData {
  readonly tileX: number;
  readonly tileY: number;
  readonly add: Uint8Array;
  readonly remove: Uint8Array;
  /** The Refine Edge brush's marks. */
  readonly refineEdge?: Uint8Array;
}

/** The hand edit of one frame: only its non-empty tiles. */
export interface FrameTiles {
  readonly itemId: string;
  readonly frameIndex: number;
  readonly width: number;
  readonly height: number;
  readonly tiles: readonly TileData[];
}

/** Every hand-edited frame of a project. */
export type ProjectTiles = readonly FrameTiles[];

const magic = 0x4c54534d; // 'MSTL' read as little-endian u32
const headerBytes = 12;
const blobExtension = '.mstiles';
/** A corrupt header cannot ask for more than this (three full planes of the largest picture the renderer accepts). */
const maximumPayloadBytes = 3 * 2 ** 28 + 2 ** 24;
/** The blob version of a payload: 2 once any tile stores Refine Edge marks (see the layout above). */
const blobVersionOf = (frame: FrameTiles) => (frame.tiles.some((tile) => refineEdgeOf(tile).length > 0) ? 2 : 1);
const refineEdgeOf = (tile: TileData) => tile.refineEdge ?? new Uint8Array(0);
const maximumSidePx = 65_536;
const maximumPixels = 2 ** 28;

/** Byte size of the tile at (`tileX`, `tileY`) of a `width × height` edit, or undefined when outside the picture. */
function tileByteSize(width: number, height: number, tileX: number, tileY: number): number | undefined {
  const x0 = tileX * maskTileSizePx;
  const y0 = tileY * maskTileSizePx;
  if (x0 >= width || y0 >= height) return undefined;
  return (Math.min(width, x0 + maskTileSizePx) - x0) * (Math.min(height, y0 + maskTileSizePx) - y0);
}

/** Why a frame's tiles are not storable, or undefined when they are. */
export function checkFrameTiles(frame: FrameTiles): string | undefined {
  const { width, height } = frame;
  if (!Number.isInteger(frame.frameIndex) || frame.frameIndex < 0) return `frame index ${frame.frameIndex} is not a frame`;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > maximumSidePx || height > maximumSidePx || width * height > maximumPixels) {
    return `size ${width}×${height} is not a picture size`;
  }
  const seen = new Set<string>();
  for (const tile of frame.tiles) {
    const bytes = Number.isInteger(tile.tileX) && Number.isInteger(tile.tileY) && tile.tileX >= 0 && tile.tileY >= 0 ? tileByteSize(width, height, tile.tileX, tile.tileY) : undefined;
    if (bytes === undefined) return `tile ${tile.tileX},${tile.tileY} lies outside the picture`;
    if ([tile.add, tile.remove, refineEdgeOf(tile)].some((plane) => plane.length !== 0 && plane.length !== bytes)) {
      return `tile ${tile.tileX},${tile.tileY} holds the wrong number of bytes`;
    }
    const key = `${tile.tileX},${tile.tileY}`;
    if (seen.has(key)) return `tile ${key} appears twice`;
    seen.add(key);
  }
  return undefined;
}

/** The canonical payload of a frame (tiles sorted row-major, so equal edits give equal bytes and share a blob). */
export function encodeFramePayload(frame: FrameTiles): Buffer {
  const tiles = [...frame.tiles].sort((a, b) => a.tileY - b.tileY || a.tileX - b.tileX);
  let size = 12;
  for (const tile of tiles) size += 9 + tile.add.length + tile.remove.length + refineEdgeOf(tile).length;
  const payload = Buffer.allocUnsafe(size);
  payload.writeUInt32LE(frame.width, 0);
  payload.writeUInt32LE(frame.height, 4);
  payload.writeUInt32LE(tiles.length, 8);
  let offset = 12;
  for (const tile of tiles) {
    payload.writeUInt32LE(tile.tileX, offset);
    payload.writeUInt32LE(tile.tileY, offset + 4);
    const refineEdge = refineEdgeOf(tile);
    payload.writeUInt8((tile.add.length > 0 ? 1 : 0) | (tile.remove.length > 0 ? 2 : 0) | (refineEdge.length > 0 ? 4 : 0), offset + 8);
    offset += 9;
    for (const plane of [tile.add, tile.remove, refineEdge]) {
      payload.set(plane, offset);
      offset += plane.length;
    }
  }
  return payload;
}

/** Reads a payload back; throws RangeError on anything malformed. */
export function decodeFramePayload(payload: Buffer, itemId: string, frameIndex: number): FrameTiles {
  const fail = (why: string): never => {
    throw new RangeError(`Expected a hand-edit payload for ${itemId}:${frameIndex} but received ${why}`);
  };
  if (payload.length < 12) fail('a truncated header');
  const width = payload.readUInt32LE(0);
  const height = payload.readUInt32LE(4);
  const count = payload.readUInt32LE(8);
  const tiles: TileData[] = [];
  let offset = 12;
  for (let index = 0; index < count; index++) {
    if (offset + 9 > payload.length) fail('a truncated tile');
    const tileX = payload.readUInt32LE(offset);
    const tileY = payload.readUInt32LE(offset + 4);
    const flags = payload.readUInt8(offset + 8);
    offset += 9;
    const bytes = tileByteSize(width, height, tileX, tileY) ?? fail(`tile ${tileX},${tileY} outside the picture`);
    const plane = (present: boolean) => {
      if (!present) return new Uint8Array(0);
      if (offset + bytes > payload.length) fail('a truncated plane');
      // Copy out so callers never hold views into one large shared buffer.
      const copy = Uint8Array.prototype.slice.call(payload, offset, offset + bytes);
      offset += bytes;
      return copy;
    };
    if (flags > 7) fail(`tile ${tileX},${tileY} with unknown planes`);
    const add = plane((flags & 1) !== 0);
    const remove = plane((flags & 2) !== 0);
    tiles.push({ tileX, tileY, add, remove, refineEdge: plane((flags & 4) !== 0) });
  }
  if (offset !== payload.length) fail('trailing bytes');
  const frame = { itemId, frameIndex, width, height, tiles };
  const problem = checkFrameTiles(frame);
  return problem === undefined ? frame : fail(problem);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const blobPath = (folder: string, hash: string) => join(folder, `${hash}${blobExtension}`);

/**
 * Writes every frame's blob into `folder` (skipping blobs already there: a named blob is complete by construction)
 * and fsyncs the folder once, so the blobs are durable before the caller publishes a JSON that names them.
 * Invalid tiles throw `INVALID_INPUT` before anything is written.
 */
export async function writeFrameBlobs(folder: string, frames: ProjectTiles): Promise<MaskBlobEntry[]> {
  for (const frame of frames) {
    const problem = checkFrameTiles(frame);
    if (problem) throw new StudioError('INVALID_INPUT', 'The hand edits could not be saved because they are malformed.', `${frame.itemId}:${frame.frameIndex}: ${problem}`);
  }
  const entries: MaskBlobEntry[] = [];
  let wroteAny = false;
  for (const frame of frames) {
    if (frame.tiles.length === 0) continue;
    const payload = encodeFramePayload(frame);
    const hash = sha256(payload);
    entries.push({ itemId: frame.itemId, frameIndex: frame.frameIndex, blob: hash, byteLength: payload.length });
    if (await pathExists(blobPath(folder, hash))) continue;
    const header = Buffer.alloc(headerBytes);
    header.writeUInt32LE(magic, 0);
    header.writeUInt8(blobVersionOf(frame), 4);
    header.writeUInt8(1, 5);
    header.writeUInt16LE(maskTileSizePx, 6);
    header.writeUInt32LE(payload.length, 8);
    // Level 1: masks are runs of 0 and 255, so the fastest level already gets most of the gain, and autosave is hot.
    const body = await deflate(payload, { level: 1, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
    await writeFileAtomically(blobPath(folder, hash), Buffer.concat([header, body]));
    wroteAny = true;
  }
  if (wroteAny) await syncFolder(folder);
  return entries;
}

/** Reads one blob, checking header, size and hash; throws with the reason. */
async function readBlob(path: string, entry: MaskBlobEntry): Promise<FrameTiles> {
  const file = await readFile(path);
  if (file.length < headerBytes || file.readUInt32LE(0) !== magic) throw new RangeError('not a tile blob');
  if (![1, 2].includes(file.readUInt8(4)) || file.readUInt8(5) !== 1) throw new RangeError('made by a newer Matte Studio');
  if (file.readUInt16LE(6) !== maskTileSizePx) throw new RangeError(`tiles of ${file.readUInt16LE(6)} px`);
  const payloadBytes = file.readUInt32LE(8);
  if (payloadBytes !== entry.byteLength || payloadBytes > maximumPayloadBytes) throw new RangeError('the wrong size');
  const payload = await inflate(file.subarray(headerBytes), { maxOutputLength: Math.max(1, payloadBytes) });
  if (payload.length !== payloadBytes || sha256(payload) !== entry.blob) throw new RangeError('a checksum mismatch');
  return decodeFramePayload(payload, entry.itemId, entry.frameIndex);
}

/**
 * Reads the frames a project names. The first folder holding a blob wins (the sidecar beside the file, then the
 * folder the JSON recorded). A missing or damaged blob skips that frame with a warning; it never fails the project.
 */
export async function readFrameBlobs(folders: readonly string[], entries: readonly MaskBlobEntry[]): Promise<{ frames: FrameTiles[]; warnings: string[] }> {
  const frames: FrameTiles[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    const candidates = folders.map((folder) => blobPath(folder, entry.blob));
    let path: string | undefined;
    for (const candidate of candidates) if (await pathExists(candidate)) { path = candidate; break; }
    const where = `frame ${entry.frameIndex} of item ${entry.itemId}`;
    if (path === undefined) {
      warnings.push(`The hand edits of ${where} are missing from the project folder and were skipped.`);
      continue;
    }
    try {
      frames.push(await readBlob(path, entry));
    } catch (error) {
      warnings.push(`The hand edits of ${where} were damaged and were skipped (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  return { frames, warnings };
}

const partialPid = /\.partial-(\d+)-[0-9a-f]+$/;

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes blobs the current JSON does not name, and temporary files left by crashed writers (their pid is dead).
 * Runs only after the new JSON is durable, so it can never remove a blob that a readable JSON names.
 */
export async function removeUnreferencedBlobs(folder: string, keep: ReadonlySet<string>): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const pid = partialPid.exec(name)?.[1];
    const isStaleTemporary = pid !== undefined && Number(pid) !== process.pid && !isProcessAlive(Number(pid));
    const isUnreferencedBlob = name.endsWith(blobExtension) && !keep.has(name.slice(0, -blobExtension.length));
    if (isStaleTemporary || isUnreferencedBlob) await rm(join(folder, name), { force: true });
  }
}
