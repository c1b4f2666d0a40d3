import { mkdtemp, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFolderError } from './atomicWrite';
import { makeFolder, type MakeFolderError } from './makeFolder';

async function failureOf(folder: string): Promise<MakeFolderError> {
  return makeFolder(folder).then(
    () => {
      throw new Error(`${folder} was made`);
    },
    (error: MakeFolderError) => error,
  );
}

describe('makeFolder', () => {
  it('makes missing parents, accepts an existing folder, and survives a race with itself', async () => {
    const root = await mkdtemp(join(tmpdir(), 'make-folder-'));
    const deep = join(root, 'a', 'b', 'c');
    await Promise.all([makeFolder(deep), makeFolder(deep), makeFolder(join(deep, '..'))]);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeFolder(deep);
  });

  it('names a file in the way, a link to nothing, and a place that refuses new folders', async () => {
    const root = await mkdtemp(join(tmpdir(), 'make-folder-'));
    const file = join(root, 'file.txt');
    await writeFile(file, 'x');
    const gone = join(root, 'gone');
    await symlink(join(root, 'nowhere'), gone);

    expect(await failureOf(file)).toMatchObject({ code: 'EEXIST' });
    expect(await failureOf(join(file, 'sub'))).toMatchObject({ code: 'ENOTDIR' });
    const dangling = await failureOf(join(gone, 'out'));
    expect(dangling).toMatchObject({ code: 'ENOENT', danglingLink: gone });
    expect(outputFolderError(dangling, join(gone, 'out')).message).toBe(
      `Cannot make the folder ${join(gone, 'out')}: ${gone} is a link to something that no longer exists.`,
    );
  });

  it.runIf(process.platform === 'linux')('returns an error below /proc instead of retrying forever', async () => {
    const folder = '/proc/matte-studio-test/out';
    const failure = await failureOf(folder);
    expect(outputFolderError(failure, folder).message).toBe(`Cannot make the folder ${folder}: that place does not accept new folders.`);
  });
});
