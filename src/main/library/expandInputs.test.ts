import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, expandInputsReport, mediaKindOf } from './expandInputs';
import { outputPathsFor } from './outputNames';

describe('expandInputs (a folder opened from the file manager or argv)', () => {
  it('lists images and clips recursively in natural order, skipping hidden entries and links that leave the folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    await writeFile(join(outside, 'secret.png'), 'x');
    const root = await mkdtemp(join(tmpdir(), 'library-'));
    await mkdir(join(root, 'day 2'));
    await mkdir(join(root, '.cache'));
    for (const name of ['img10.jpg', 'img2.jpg', 'notes.txt', '.hidden.png', 'day 2/clip.mp4', 'day 2/b.webp', '.cache/c.png']) await writeFile(join(root, name), 'x');
    await symlink(join(outside, 'secret.png'), join(root, 'escape.png'));
    await symlink(outside, join(root, 'escape-folder'));
    await symlink(join(root, 'img2.jpg'), join(root, 'inside-link.jpg'));
    const images = await expandInputs([root]);
    expect(images.map((path) => path.slice(root.length + 1))).toEqual(['day 2/b.webp', 'img2.jpg', 'img10.jpg', 'inside-link.jpg']);
    const all = await expandInputs([root], { kinds: ['image', 'clip'] });
    expect(all.map((path) => path.slice(root.length + 1))).toContain('day 2/clip.mp4');
    // Left out, but said: a folder of links to pictures elsewhere otherwise read as "no images found".
    await symlink(join(root, 'gone.png'), join(root, 'dangling.png'));
    expect((await expandInputsReport([root])).skipped).toEqual([
      { path: root, reason: 'outside', message: `3 links in ${root} lead outside it (or nowhere) and were skipped: a folder opens only what lies inside it. Name linked files themselves to open them.` },
    ]);
  });

  it('keeps files given by name even with an unknown extension (so the user gets a clear error for them)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'files-'));
    await writeFile(join(root, 'readme.txt'), 'x');
    expect(await expandInputs([join(root, 'readme.txt'), join(root, 'missing.png')])).toEqual([join(root, 'readme.txt'), join(root, 'missing.png')]);
    expect(mediaKindOf('A.MOV')).toBe('clip');
    expect(mediaKindOf('a.tiff')).toBe('image');
  });

  it('lists a file reached twice once: named twice, named with ./, or named and inside a folder given', async () => {
    const root = await mkdtemp(join(tmpdir(), 'twice-'));
    for (const name of ['a.png', 'b.png']) await writeFile(join(root, name), 'x');
    const listed = await expandInputs([join(root, 'b.png'), `${root}/./b.png`, root, join(root, 'a.png')]);
    expect(listed).toEqual([join(root, 'b.png'), join(root, 'a.png')]);
  });

  it('gives same-named inputs distinct outputs', () => {
    expect(outputPathsFor(['/a/x.jpg', '/b/x.png', '/c/X.webp', '/d/y.png'], '/out')).toEqual(['/out/x.png', '/out/x-2.png', '/out/X-3.png', '/out/y.png']);
  });

  it('enters each folder once: a loop link (ln -s . self) and two loop links add nothing and are reported once each', async () => {
    const root = await mkdtemp(join(tmpdir(), 'loops-'));
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'a.png'), 'x');
    await writeFile(join(root, 'sub', 'b.png'), 'x');
    await symlink('.', join(root, 'self'));
    await symlink('..', join(root, 'sub', 'up'));
    await symlink(root, join(root, 'sub', 'again'));
    const report = await expandInputsReport([root, join(root, 'self')]);
    expect(report.files.map((path) => path.slice(root.length + 1))).toEqual(['a.png', 'sub/b.png']);
    expect(report.skipped.map((skipped) => [skipped.path.slice(root.length + 1), skipped.reason])).toEqual([
      ['self', 'loop'],
      ['sub/again', 'loop'],
      ['sub/up', 'loop'],
    ]);
  });

  it('stops at the depth and entry caps (reported once) and honours the cancel signal', async () => {
    const root = await mkdtemp(join(tmpdir(), 'deep-'));
    let folder = root;
    for (let depth = 1; depth <= 4; depth++) {
      folder = join(folder, `d${depth}`);
      await mkdir(folder);
      await writeFile(join(folder, `p${depth}.png`), 'x');
    }
    const shallow = await expandInputsReport([root], { maxDepth: 2 });
    expect(shallow.files.map((path) => path.slice(root.length + 1))).toEqual(['d1/d2/p2.png', 'd1/p1.png']);
    expect(shallow.skipped.map((skipped) => skipped.reason)).toEqual(['too-deep']);
    const few = await expandInputsReport([root], { maxEntries: 5 });
    expect(few.files).toHaveLength(1);
    expect(few.skipped.map((skipped) => skipped.reason)).toEqual(['too-many-entries']);
    const controller = new AbortController();
    controller.abort();
    await expect(expandInputs([root], { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
