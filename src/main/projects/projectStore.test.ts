import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStudioError, type StudioError } from '../../shared/errors';
import { damagedProjectsFolderName, openProject, saveProject, saveProjectAs, sidecarFolderFor } from './projectStore';
import { loadRecentProjects } from './recentProjects';
import { describeDocumentMismatch, describeTileMismatch, makeVersion, testMediaNames, versionOf } from './testing/projectVersions';
import { frameTilesFromWire, frameTilesToWire } from './tileWire';

let root: string;
let media: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'matte-projects-'));
  media = join(root, 'media');
  await mkdir(media);
  for (const name of testMediaNames) await writeFile(join(media, name), 'x');
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

const blobNames = async (path: string) => (await readdir(sidecarFolderFor(path))).filter((name) => name.endsWith('.mstiles')).sort();

describe('saveProject / openProject', () => {
  it('round-trips items, settings, view, export defaults and tiles byte for byte', async () => {
    const path = join(root, 'job.mattestudio');
    for (const n of [0, 1]) {
      const { document, tiles } = makeVersion(n, media);
      await saveProject(path, document, tiles);
      const opened = await openProject(path);
      expect(opened.warnings).toEqual([]);
      expect(versionOf(opened.project)).toBe(n);
      expect(describeDocumentMismatch(document, opened.project)).toBeUndefined();
      expect(describeTileMismatch(tiles, opened.tiles)).toBeUndefined();
      expect(opened.project.items[0]!.relativePath).toBe(`media/${testMediaNames[0]}`);
    }
  });

  it('detects a changed tile byte (the comparison can fail)', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(0, media);
    await saveProject(path, document, tiles);
    const other = makeVersion(2, media);
    expect(describeTileMismatch(other.tiles, (await openProject(path)).tiles)).toMatch(/bytes differ/);
  });

  it('keeps only the blobs the current version names, and reuses unchanged ones', async () => {
    const path = join(root, 'job.mattestudio');
    await saveProject(path, makeVersion(0, media).document, makeVersion(0, media).tiles);
    const first = await blobNames(path);
    expect(first).toHaveLength(2);
    await saveProject(path, makeVersion(1, media).document, makeVersion(1, media).tiles);
    const second = await blobNames(path);
    expect(second).toHaveLength(3);
    expect(second.filter((name) => first.includes(name))).toEqual([]);
    // Version 3 differs from 1 only in its stamped first frame: the other two blobs are reused.
    await saveProject(path, makeVersion(3, media).document, makeVersion(3, media).tiles);
    expect((await blobNames(path)).filter((name) => second.includes(name))).toHaveLength(2);
  });

  it('re-finds media through relativePath after the project folder moved', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(1, media);
    await saveProject(path, document, tiles);
    const moved = join(root, 'elsewhere');
    await mkdir(moved);
    await rename(path, join(moved, 'job.mattestudio'));
    await rename(sidecarFolderFor(path), sidecarFolderFor(join(moved, 'job.mattestudio')));
    await rename(media, join(moved, 'media'));
    const opened = await openProject(join(moved, 'job.mattestudio'));
    expect(opened.warnings).toEqual([]);
    expect(opened.project.items.map((item) => item.path)).toEqual(testMediaNames.map((name) => join(moved, 'media', name)));
    expect(describeTileMismatch(tiles, opened.tiles)).toBeUndefined();
  });

  it('falls back to the absolute path, and warns when the media is nowhere', async () => {
    const path = join(root, 'job.mattestudio');
    await saveProject(path, makeVersion(0, media).document, []);
    await mkdir(join(root, 'sub'));
    await rename(path, join(root, 'sub', 'job.mattestudio'));
    const opened = await openProject(join(root, 'sub', 'job.mattestudio'));
    expect(opened.project.items[0]!.path).toBe(join(media, testMediaNames[0]));
    expect(opened.warnings).toEqual([]);
    await rm(join(media, testMediaNames[0]));
    const missing = await openProject(join(root, 'sub', 'job.mattestudio'));
    expect(missing.warnings).toEqual([`“${testMediaNames[0]}” was not found at ${join(media, testMediaNames[0])}.`]);
  });

  it('keeps a damaged JSON aside in the settings folder with its tiles (nothing beside the file); the next save does not touch the copy', async () => {
    const path = join(root, 'job.mattestudio');
    const settings = join(root, 'settings');
    const { document, tiles } = makeVersion(0, media);
    await saveProject(path, document, tiles);
    const blobs = await blobNames(path);
    const good = await readFile(path, 'utf8');
    await writeFile(path, good.slice(0, good.length / 2));
    const before = (await readdir(root)).sort();
    const error = await rejection(openProject(path, { settingsFolder: settings }));
    expect(isStudioError(error, 'PROJECT_DAMAGED')).toBe(true);
    const keptFolder = join(settings, damagedProjectsFolderName);
    expect(error.message).toMatch(/^The project job\.mattestudio is damaged \(it is not valid JSON\) and cannot be opened\. A copy was kept as .*job\.mattestudio\.bad-\d+\.$/);
    // The detail names a position, never the file's text.
    expect((error as StudioError).detail).toMatch(/^not valid JSON/);
    expect((error as StudioError).detail).not.toContain(good.slice(good.length / 2 - 20, good.length / 2));
    expect((await readdir(root)).filter((name) => name !== 'settings').sort()).toEqual(before);
    expect(await readdir(sidecarFolderFor(path))).toEqual(blobs);
    const aside = (await readdir(keptFolder)).find((name) => name.startsWith('job.mattestudio.bad-') && !name.endsWith('.d'))!;
    expect(error.message).toContain(join(keptFolder, aside));
    await saveProject(path, makeVersion(1, media).document, makeVersion(1, media).tiles);
    expect(await readFile(join(keptFolder, aside), 'utf8')).toBe(good.slice(0, good.length / 2));
    // The kept copy's tiles survive the next save's clean-up.
    expect((await readdir(sidecarFolderFor(join(keptFolder, aside)))).sort()).toEqual(blobs);
    expect(versionOf((await openProject(path)).project)).toBe(1);
  });

  it('keeps a schema-damaged file aside (settings folder only); refuses a newer file without copying it', async () => {
    const path = join(root, 'job.mattestudio');
    const settings = join(root, 'settings');
    await writeFile(path, JSON.stringify({ format: 'matte-studio-project', version: 2, items: 5 }));
    const damaged = await rejection(openProject(path, { settingsFolder: settings }));
    expect(damaged.message).toMatch(/^The project job\.mattestudio is damaged and cannot be opened \(The project file is damaged: /);
    expect((await readdir(root)).filter((name) => name.includes('.bad-'))).toHaveLength(0);
    expect(await readdir(join(settings, damagedProjectsFolderName))).toHaveLength(1);
    await writeFile(path, JSON.stringify({ format: 'matte-studio-project', version: 9, anything: true }));
    const newer = await rejection(openProject(path, { settingsFolder: settings }));
    expect(isStudioError(newer, 'PROJECT_TOO_NEW')).toBe(true);
    expect(newer.message).toMatch(/made by a newer Matte Studio/);
    expect(await readdir(join(settings, damagedProjectsFolderName))).toHaveLength(1);
  });

  it('any other file opened as a project: refused without a copy anywhere and without its content in the error', async () => {
    const secret = join(root, 'passwd');
    await writeFile(secret, 'root:x:0:0:root:/root:/bin/bash\n');
    const settings = join(root, 'settings');
    const error = await rejection(openProject(secret, { settingsFolder: settings }));
    expect(isStudioError(error, 'INVALID_INPUT')).toBe(true);
    expect(JSON.stringify((error as StudioError).toData())).not.toContain('root:x');
    expect((await readdir(root)).sort()).toEqual(['media', 'passwd']); // the settings folder was not even needed
    const device = await rejection(openProject('/dev/zero', { settingsFolder: settings }));
    expect(isStudioError(device, 'INVALID_INPUT')).toBe(true);
  });

  it('a failed save throws a plain StudioError and leaves the previous version openable', async () => {
    const path = join(root, 'job.mattestudio');
    await saveProject(path, makeVersion(0, media).document, []);
    // A file where the sidecar folder should be: the next save cannot even start writing tiles.
    await rm(sidecarFolderFor(path), { recursive: true });
    await writeFile(sidecarFolderFor(path), 'in the way');
    const error = await rejection(saveProject(path, makeVersion(1, media).document, makeVersion(1, media).tiles));
    expect(isStudioError(error, 'OUTPUT_UNWRITABLE')).toBe(true);
    const opened = await openProject(path);
    expect(versionOf(opened.project)).toBe(0);
    expect(opened.tiles).toEqual([]);
  });

  it('reports a missing project as FILE_NOT_FOUND', async () => {
    expect(isStudioError(await rejection(openProject(join(root, 'nope.mattestudio'))), 'FILE_NOT_FOUND')).toBe(true);
  });

  it('skips a damaged or missing tile blob with a warning, keeping the rest', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(1, media);
    await saveProject(path, document, tiles);
    const [first, second] = await blobNames(path);
    const firstPath = join(sidecarFolderFor(path), first!);
    const bytes = await readFile(firstPath);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
    await writeFile(firstPath, bytes);
    await rm(join(sidecarFolderFor(path), second!));
    const opened = await openProject(path);
    expect(opened.tiles).toHaveLength(1);
    expect(opened.warnings).toHaveLength(2);
    expect(opened.warnings.join('\n')).toMatch(/damaged and were skipped/);
    expect(opened.warnings.join('\n')).toMatch(/missing from the project folder/);
  });

  it('refuses malformed tiles and tiles of unknown items before writing anything', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(0, media);
    const short = [{ ...tiles[0]!, tiles: [{ tileX: 0, tileY: 0, add: new Uint8Array(10), remove: new Uint8Array(0) }] }];
    expect(isStudioError(await rejection(saveProject(path, document, short)), 'INVALID_INPUT')).toBe(true);
    const outside = [{ ...tiles[0]!, tiles: [{ tileX: 99, tileY: 0, add: new Uint8Array(0), remove: new Uint8Array(0) }] }];
    expect(isStudioError(await rejection(saveProject(path, document, outside)), 'INVALID_INPUT')).toBe(true);
    const orphan = [{ ...tiles[0]!, itemId: 'nobody' }];
    expect(isStudioError(await rejection(saveProject(path, document, orphan)), 'INVALID_INPUT')).toBe(true);
    expect(await readdir(root)).toEqual(['media']);
  });

  it('Save As gives a new identity, adds the extension and records the recent entry', async () => {
    const { document, tiles } = makeVersion(0, media);
    const settings = join(root, 'settings');
    const { path, project } = await saveProjectAs(join(root, 'copy'), document, tiles, { settingsFolder: settings });
    expect(path).toBe(join(root, 'copy.mattestudio'));
    expect(project.projectId).not.toBe(document.projectId);
    expect(project.createdAt).not.toBe(document.createdAt);
    expect((await loadRecentProjects(settings)).projects.map((entry) => entry.path)).toEqual([path]);
    expect(describeTileMismatch(tiles, (await openProject(path)).tiles)).toBeUndefined();
  });

  it('opens version-1 projects with inline base64 edits', async () => {
    const frame = makeVersion(0, media).tiles[1]!;
    const wire = frameTilesToWire(frame);
    const v1 = {
      format: 'matte-studio-project',
      version: 1,
      created: '2024-01-01T00:00:00.000Z',
      items: [{ id: 'clip-1', file: join(media, testMediaNames[1]), type: 'video', refinement: { radius: 12 }, frame: 3 }],
      active: 'clip-1',
      maskEdits: { version: 1, tileSizePx: 128, frames: [{ itemId: 'clip-1', frameIndex: frame.frameIndex, ...wire }, { itemId: 'clip-1', frameIndex: 9, width: 1 }] },
    };
    const path = join(root, 'old.mattestudio');
    await writeFile(path, JSON.stringify(v1));
    const opened = await openProject(path);
    expect(opened.project.items[0]).toMatchObject({ kind: 'clip', frameIndex: 3, settings: { radiusPx: 12 } });
    expect(describeTileMismatch([frame], opened.tiles)).toBeUndefined();
    expect(opened.warnings).toEqual(['The hand edits of frame 9 of item clip-1 were not readable and were skipped.']);
    // Saving writes version 2 with binary tiles.
    await saveProject(path, { ...opened.project, backgroundPicture: undefined }, opened.tiles);
    expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(2);
    expect(describeTileMismatch([frame], (await openProject(path)).tiles)).toBeUndefined();
  });

  it('converts the renderer wire form both ways and refuses bad base64', () => {
    const frame = makeVersion(1, media).tiles[2]!;
    expect(describeTileMismatch([frame], [frameTilesFromWire(frame.itemId, frame.frameIndex, frameTilesToWire(frame))])).toBeUndefined();
    const wire = frameTilesToWire(frame);
    expect(() => frameTilesFromWire('a', 0, { ...wire, tiles: [{ ...wire.tiles[0]!, add: 'not base64!' }] })).toThrow(/base64/);
    expect(() => frameTilesFromWire('a', 0, { ...wire, width: 10 })).toThrow(RangeError);
  });
});
