import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderListingSchema } from '../../shared/contract/studioContract';
import { isStudioError } from '../../shared/errors';
import { WriteScope } from '../files/writeScope';
import { listFolder } from './listFolder';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'list-folder-'));
  await mkdir(join(folder, 'sub'));
  for (const name of ['p10.png', 'p2.png', 'p1.png', 'notes.txt', '.hidden.png']) await writeFile(join(folder, name), 'x');
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const noScope = { allow: () => {} };

describe('listFolder', () => {
  it('lists everything with no truncated flag when under the cap', async () => {
    const listing = await listFolder(folder, { writeScope: noScope });
    expect(listing.entries.map((entry) => entry.name)).toEqual(['sub', 'notes.txt', 'p1.png', 'p2.png', 'p10.png']);
    expect(listing.truncated).toBeUndefined();
  });

  it('reports truncated when the cap hits, keeping the first entries in name order, and the flag crosses the contract', async () => {
    const listing = await listFolder(folder, { maxEntries: 3, writeScope: noScope });
    expect(listing.entries.map((entry) => entry.name)).toEqual(['notes.txt', 'p1.png', 'p2.png']);
    expect(listing.truncated).toBe(true);
    expect(folderListingSchema.parse(listing).truncated).toBe(true);
  });

  it('honours the cancel signal and then records nothing in the write scope', async () => {
    const scope = new WriteScope();
    const controller = new AbortController();
    controller.abort();
    const error = await listFolder(folder, { signal: controller.signal, writeScope: scope }).catch((caught: unknown) => caught);
    expect(isStudioError(error, 'CANCELLED'), String(error)).toBe(true);
    expect(scope.roots()).toEqual([]);
    await listFolder(folder, { writeScope: scope });
    expect(scope.roots().map((root) => root.recursive)).toEqual([false]);
  });
});
