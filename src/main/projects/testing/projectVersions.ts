/**
 * Deterministic project versions for the store and crash tests. Version `n` is fully determined by `n`: even and
 * odd versions differ in items, edited frames and tile bytes (so a mix of two versions is detectable), and `n` is
 * stamped into the export background and the first tile (so a stale-but-whole version is detectable too).
 */
import { join } from 'node:path';
import type { ProjectDocument, ProjectFile } from '../../../shared/projectFile';
import { refinementSettingsSchema } from '../../../shared/settings';
import type { FrameTiles, ProjectTiles, TileData } from '../tileBlobs';

/** Fixed so every version is the same project (a save never changes identity). */
export const testProjectId = 'test-project-0001';

/** Media files a version refers to, relative to its media folder. */
export const testMediaNames = ['portrait.png', 'interview.mov', 'second.png'] as const;

/** Clip frame size: 8 × 5 tiles, the last row 88 px high, so partial tiles are covered too. */
const clipWidth = 1000;
const clipHeight = 600;

/** Fills a plane with xorshift noise (incompressible, so the crash tests move real bytes). */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 255;
  }
  return bytes;
}

function frameTiles(itemId: string, frameIndex: number, width: number, height: number, seed: number, everyNth: number): FrameTiles {
  const tiles: TileData[] = [];
  for (let tileY = 0; tileY * 128 < height; tileY++) {
    for (let tileX = 0; tileX * 128 < width; tileX++) {
      if ((tileX + tileY) % everyNth !== 0) continue;
      const bytes = (Math.min(width, tileX * 128 + 128) - tileX * 128) * (Math.min(height, tileY * 128 + 128) - tileY * 128);
      const tileSeed = seed * 1000 + tileY * 16 + tileX;
      // Some tiles add only (empty remove plane), as add-only strokes leave them.
      const remove = (tileX + tileY) % 3 === 0 ? new Uint8Array(0) : noise(bytes, tileSeed + 7);
      tiles.push({ tileX, tileY, add: noise(bytes, tileSeed), remove });
    }
  }
  return { itemId, frameIndex, width, height, tiles };
}

const tileCache = new Map<number, FrameTiles[]>();

/** The two tile sets (by parity), built once: generating megabytes per version would dominate the crash loops. */
function tilesForParity(parity: number): FrameTiles[] {
  const cached = tileCache.get(parity);
  if (cached) return cached;
  const tiles =
    parity === 0
      ? [frameTiles('clip-1', 0, clipWidth, clipHeight, 11, 1), frameTiles('clip-1', 1, clipWidth, clipHeight, 12, 1)]
      : [frameTiles('clip-1', 0, clipWidth, clipHeight, 21, 1), frameTiles('clip-1', 2, clipWidth, clipHeight, 22, 2), frameTiles('still-1', 0, 300, 200, 23, 1)];
  tileCache.set(parity, tiles);
  return tiles;
}

/** Version `n` of the test project; media paths point into `mediaFolder`. */
export function makeVersion(n: number, mediaFolder: string): { document: ProjectDocument; tiles: ProjectTiles } {
  const parity = n % 2;
  const base = tilesForParity(parity);
  const first = base[0]!;
  const firstTile = first.tiles[0]!;
  const stamped = new Uint8Array(firstTile.add);
  new DataView(stamped.buffer).setUint32(0, n, true);
  const tiles = [{ ...first, tiles: [{ ...firstTile, add: stamped }, ...first.tiles.slice(1)] }, ...base.slice(1)];
  const items: ProjectDocument['items'] = [
    { id: 'still-1', path: join(mediaFolder, testMediaNames[0]), kind: 'image', settings: { radiusPx: n % 401, spillStrength: parity === 0 ? 1 : 0.25 }, frameIndex: 0 },
    { id: 'clip-1', path: join(mediaFolder, testMediaNames[1]), kind: 'clip', settings: { featherPx: parity * 3, cartoonMode: 'off' }, frameIndex: n % 50, modelId: 'birefnet-lite' },
  ];
  if (parity === 1) items.push({ id: 'still-2', path: join(mediaFolder, testMediaNames[2]), kind: 'image', settings: {}, frameIndex: 0 });
  return {
    document: {
      projectId: testProjectId,
      createdAt: '2025-01-02T03:04:05.000Z',
      items,
      activeItemId: parity === 0 ? 'still-1' : 'clip-1',
      view: { zoom: 1 + parity, panX: -n, panY: n / 2, viewMode: parity === 0 ? 'overlay' : 'split', overlayColor: '#ff3b30', overlayOpacity: 0.5, backgroundColor: '#00b140', splitFraction: 0.5 },
      exportDefaults: { stillFormat: 'png', clipFormat: 'prores', background: `v${n}` },
    },
    tiles,
  };
}

/** The version number an opened project claims (from the stamped export background), or undefined. */
export function versionOf(project: ProjectFile): number | undefined {
  const match = /^v(\d+)$/.exec(project.exportDefaults?.background ?? '');
  return match ? Number(match[1]) : undefined;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** Compares tiles exactly (frames and tiles in any order); returns the first difference in words, or undefined. */
export function describeTileMismatch(expected: ProjectTiles, actual: ProjectTiles): string | undefined {
  const byKey = (frames: ProjectTiles) => new Map(frames.map((frame) => [`${frame.itemId}:${frame.frameIndex}`, frame]));
  const expectedFrames = byKey(expected);
  const actualFrames = byKey(actual);
  if (expectedFrames.size !== actualFrames.size) return `expected ${expectedFrames.size} frames, got ${actualFrames.size}`;
  for (const [key, want] of expectedFrames) {
    const got = actualFrames.get(key);
    if (!got) return `frame ${key} missing`;
    if (got.width !== want.width || got.height !== want.height) return `frame ${key} size differs`;
    if (got.tiles.length !== want.tiles.length) return `frame ${key}: expected ${want.tiles.length} tiles, got ${got.tiles.length}`;
    const tiles = new Map(got.tiles.map((tile) => [`${tile.tileX},${tile.tileY}`, tile]));
    for (const tile of want.tiles) {
      const other = tiles.get(`${tile.tileX},${tile.tileY}`);
      if (!other) return `frame ${key} tile ${tile.tileX},${tile.tileY} missing`;
      if (!sameBytes(tile.add, other.add) || !sameBytes(tile.remove, other.remove)) return `frame ${key} tile ${tile.tileX},${tile.tileY} bytes differ`;
    }
  }
  return undefined;
}

/** Compares the document part of an opened project with what was saved; returns the first difference, or undefined. */
export function describeDocumentMismatch(expected: ProjectDocument, actual: ProjectFile): string | undefined {
  const strip = (project: ProjectFile) => ({
    projectId: project.projectId,
    createdAt: project.createdAt,
    items: project.items.map((item) => ({ ...item, relativePath: undefined })),
    activeItemId: project.activeItemId,
    view: project.view,
    exportDefaults: project.exportDefaults,
  });
  // Normalize the expectation through the same defaults the store applies (settings fields left out).
  const want = JSON.stringify({ ...expected, items: expected.items.map((item) => ({ ...item, settings: refinementSettingsSchema.parse(item.settings) })) }, sortedKeys);
  const got = JSON.stringify(strip(actual), sortedKeys);
  return want === got ? undefined : `documents differ:\n want ${want}\n got  ${got}`;
}

/** JSON replacer that sorts object keys, so equal objects serialise equally. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
