import { mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareOutputFile, prepareOutputFolder } from '../media/outputTarget';
import { maxFileNameBytes, sweepStaleTemporaries, temporaryNameFor, truncateUtf8, writeFileAtomically } from './atomicWrite';

/** A pid no process has (above Linux's pid_max). */
const deadPid = 99_999_999;

describe('temporary output names', () => {
  it('stay within 255 bytes for a 254-byte name (ASCII and multi-byte), keeping the extension', async () => {
    for (const finalName of [`${'a'.repeat(250)}.png`, `${'é'.repeat(125)}.png`, `${'😀'.repeat(62)}ab.mov`]) {
      expect(Buffer.byteLength(finalName)).toBeGreaterThanOrEqual(252);
      const name = temporaryNameFor(finalName);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(maxFileNameBytes);
      expect(name).not.toContain('\uFFFD');
      expect(temporaryNameFor(finalName.slice(0, -4), 'partial', '.png')).toMatch(/\.partial-\d+-[0-9a-f]{8}\.png$/);
    }
    expect(truncateUtf8('aé😀b', 4)).toBe('aé');
    expect(truncateUtf8('aé😀b', 7)).toBe('aé😀');
  });

  it('a 254-byte file name is written atomically, and so are a clip file and a frame folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'long-names-'));
    const finalName = `${'n'.repeat(250)}.png`;
    expect(Buffer.byteLength(finalName)).toBe(254);
    await writeFileAtomically(join(folder, finalName), 'x');
    const clip = await prepareOutputFile(join(folder, `${'c'.repeat(250)}.mov`));
    await writeFile(clip.tempPath, 'x');
    await clip.commit();
    const frames = await prepareOutputFolder(join(folder, 'f'.repeat(254)));
    await frames.commit();
    expect((await readdir(folder)).sort()).toEqual([`${'c'.repeat(250)}.mov`, 'f'.repeat(254), finalName]);
  });
});

describe('committing an output', () => {
  it('keeps a file that appeared at its name meanwhile unless it may replace it (two exports into one folder)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'matte-commit-'));
    const path = join(folder, 'a.png');
    const careful = await prepareOutputFile(path, { mayReplace: false });
    await writeFile(careful.tempPath, 'ours');
    await writeFile(path, 'theirs');
    await expect(careful.commit()).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', message: expect.stringContaining('a.png appeared in') });
    expect(await readFile(path, 'utf8')).toBe('theirs');
    expect(await readdir(folder)).toEqual(['a.png']);

    const replacing = await prepareOutputFile(path);
    await writeFile(replacing.tempPath, 'ours');
    await replacing.commit();
    expect(await readFile(path, 'utf8')).toBe('ours');
    // Where the name is still free, the careful commit simply lands.
    const fresh = await prepareOutputFile(join(folder, 'b.png'), { mayReplace: false });
    await writeFile(fresh.tempPath, 'b');
    await fresh.commit();
    expect(await readdir(folder)).toEqual(['a.png', 'b.png']);
  });
});

describe('stale temporaries', () => {
  it('are swept when their writer is gone (SIGTERM/SIGKILL leftovers), never a live writer\'s or the user\'s files', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sweep-'));
    const stale = [`.a.png.partial-${deadPid}-0123abcd`, `.clip.partial-${deadPid}-89abcdef.mov`, `.frames.partial-${deadPid}-00000000`, `.frames.old-${deadPid}-11111111`];
    const kept = [`.b.png.partial-${process.pid}-0123abcd`, '.hidden.png', 'photo.partial.png', `a.png.partial-${deadPid}-0123abcd`, '.recent.deadbeef.partial.mov'];
    for (const name of [...stale, ...kept]) await writeFile(join(folder, name), 'x');
    await mkdir(join(folder, `.seq.partial-${deadPid}-22222222`));
    const legacy = '.old-run.cafebabe.partial.mov';
    await writeFile(join(folder, legacy), 'x');
    await utimes(join(folder, legacy), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    const removed = await sweepStaleTemporaries(folder);
    expect(removed.sort()).toEqual([...stale, `.seq.partial-${deadPid}-22222222`, legacy].sort());
    expect((await readdir(folder)).sort()).toEqual([...kept].sort());
  });

  it('are swept before the first output goes into a folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sweep-start-'));
    await writeFile(join(folder, `.x.png.partial-${deadPid}-0123abcd`), 'x');
    await writeFileAtomically(join(folder, 'y.png'), 'y');
    expect(await readdir(folder)).toEqual(['y.png']);
  });
});
