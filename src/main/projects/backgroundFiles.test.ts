import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProject, saveProject, sidecarFolderFor } from './projectStore';
import { makeVersion, testMediaNames } from './testing/projectVersions';

let root: string;
let media: string;
let kept: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'matte-project-background-'));
  media = join(root, 'media');
  kept = join(root, 'cache', 'backgrounds');
  await mkdir(media);
  await mkdir(kept, { recursive: true });
  for (const name of testMediaNames) await writeFile(join(media, name), 'x');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const pictureNames = async (path: string) => (await readdir(sidecarFolderFor(path))).filter((name) => !name.endsWith('.mstiles')).sort();

describe('a project keeps its background picture', () => {
  it('copies the kept picture into the sidecar, opens it from there, and drops it once the project names another', async () => {
    const path = join(root, 'job.mattestudio');
    const first = join(kept, `${'a'.repeat(32)}.png`);
    const second = join(kept, `${'b'.repeat(32)}.jpg`);
    await writeFile(first, 'first picture');
    await writeFile(second, 'second picture');
    const { document, tiles } = makeVersion(0, media);

    await saveProject(path, { ...document, backgroundPicture: { name: 'studio wall.png', path: first } }, tiles);
    expect(JSON.parse(await readFile(path, 'utf8')).backgroundPicture).toEqual({ name: 'studio wall.png', file: `${'a'.repeat(32)}.png` });
    // The engine's copy may be trimmed later: the project holds its own.
    await rm(first);
    const opened = await openProject(path);
    expect(opened.warnings).toEqual([]);
    expect(opened.backgroundPicture?.name).toBe('studio wall.png');
    expect(await readFile(opened.backgroundPicture!.path, 'utf8')).toBe('first picture');

    // Saved again with the source gone: the sidecar's copy is the same picture, so it stays.
    await saveProject(path, { ...document, backgroundPicture: { name: 'studio wall.png', path: first } }, tiles);
    expect(await pictureNames(path)).toEqual([`${'a'.repeat(32)}.png`]);

    await saveProject(path, { ...document, backgroundPicture: { name: 'beach.jpg', path: second } }, tiles);
    expect(await pictureNames(path)).toEqual([`${'b'.repeat(32)}.jpg`]);
    await saveProject(path, document, tiles);
    expect(await pictureNames(path)).toEqual([]);
    expect((await openProject(path)).backgroundPicture).toBeUndefined();
  });

  it('saves without a picture whose copy is gone, and says so when an opened project lacks its picture', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(0, media);
    await saveProject(path, { ...document, backgroundPicture: { name: 'gone.png', path: join(kept, `${'c'.repeat(32)}.png`) } }, tiles);
    expect(JSON.parse(await readFile(path, 'utf8')).backgroundPicture).toBeUndefined();

    const present = join(kept, `${'d'.repeat(32)}.png`);
    await writeFile(present, 'picture');
    await saveProject(path, { ...document, backgroundPicture: { name: 'wall.png', path: present } }, tiles);
    await rm(join(sidecarFolderFor(path), `${'d'.repeat(32)}.png`));
    const opened = await openProject(path);
    expect(opened.backgroundPicture).toBeUndefined();
    expect(opened.warnings).toEqual(['The background picture “wall.png” was not found beside the project.']);
  });

  it('never copies a file that is not named like a kept picture', async () => {
    const path = join(root, 'job.mattestudio');
    const secret = join(root, 'notes.txt');
    await writeFile(secret, 'private');
    const { document, tiles } = makeVersion(0, media);
    await saveProject(path, { ...document, backgroundPicture: { name: 'notes.txt', path: secret } }, tiles);
    expect(await pictureNames(path)).toEqual([]);
    expect(JSON.parse(await readFile(path, 'utf8')).backgroundPicture).toBeUndefined();
  });

  it('leaves out a damaged picture entry with a warning and opens the rest', async () => {
    const path = join(root, 'job.mattestudio');
    const { document, tiles } = makeVersion(0, media);
    await saveProject(path, document, tiles);
    const json = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...json, backgroundPicture: { name: 'x.png', file: '../../etc/passwd' } }));
    const opened = await openProject(path);
    expect(opened.backgroundPicture).toBeUndefined();
    expect(opened.warnings).toEqual(['The background picture was not readable and was left out.']);
    expect(opened.project.items).toHaveLength(document.items.length);
  });
});
