/**
 * The write scope on every contract path that writes results (issue 9): the studio's Export and the Batch Export
 * dialog's jobs, with a strict scope as in Electron. A folder the user never chose is refused with a plain
 * `OUTPUT_UNWRITABLE` before anything is written (not even the folder); a chosen folder, or the default folder beside
 * what the user opened, works; a non-strict scope (web shell, CLI) changes nothing.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOutputFolder } from '../../shared/defaultOutputFolder';
import { isStudioError } from '../../shared/errors';
import { refinementSettingsSchema } from '../../shared/settings';
import { WriteScope } from '../files/writeScope';
import { makeDiscImage } from '../testing/badInputs';
import { createStudioHarness, type StudioHarness } from './testing/studioHarness';

const settings = refinementSettingsSchema.parse({});
const rejectionOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

let root: string;
let photos: string;
let picture: string;
let scope: WriteScope;
let harness: StudioHarness;
let itemId: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scope-exports-'));
  photos = join(root, 'photos');
  await mkdir(photos);
  picture = join(photos, 'portrait.png');
  await (await makeDiscImage(48, 40)).png().toFile(picture);
  scope = new WriteScope(true);
  harness = createStudioHarness({ models: false, writeScope: scope, matteCacheFolder: join(root, 'cache') });
  itemId = (await harness.api.openPaths({ paths: [picture] })).items[0]!.id;
});

afterAll(async () => {
  await harness?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('strict write scope (Electron): Export', () => {
  it('refuses a folder the user never chose with a plain sentence, and writes nothing, not even the folder', async () => {
    const unchosen = join(root, 'unchosen', 'out');
    const error = await rejectionOf(harness.api.exportItem({ jobId: 'e1', itemId, format: 'png', outputDir: unchosen, settings }));
    expect(isStudioError(error, 'OUTPUT_UNWRITABLE'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/only writes into folders you chose/);
    expect(existsSync(join(root, 'unchosen'))).toBe(false);
    // Nor inside the source's own folder: opening a picture is no permission to write beside it.
    expect(isStudioError(await rejectionOf(harness.api.exportItem({ jobId: 'e2', itemId, format: 'png', outputDir: photos, settings })), 'OUTPUT_UNWRITABLE')).toBe(true);
    expect(await readdir(photos)).toEqual(['portrait.png']);
  });

  it('refuses a relative or ~ folder in words (they landed beside wherever the engine was started)', async () => {
    for (const outputDir of ['relative/out', '~/mattes']) {
      const error = await rejectionOf(harness.api.exportItem({ jobId: `rel-${outputDir}`, itemId, format: 'png', outputDir, settings }));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`full path`) });
      const batch = await rejectionOf(harness.api.runBatch({ jobId: `rel-batch-${outputDir}`, inputs: [picture], outDir: outputDir, formats: ['png'] }));
      expect(batch).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`not “${outputDir}”`) });
    }
    expect(existsSync(join(process.cwd(), 'relative'))).toBe(false);
    expect(existsSync(join(process.cwd(), '~'))).toBe(false);
  });

  it('writes into a folder chosen in a dialog', async () => {
    const chosen = join(root, 'chosen');
    await mkdir(chosen);
    scope.allow(chosen, 'dialog');
    const outcome = await harness.api.exportItem({ jobId: 'e3', itemId, format: 'png', outputDir: join(chosen, 'new'), settings });
    expect(outcome.output).toBe(join(chosen, 'new', 'portrait.png'));
    expect(await readdir(join(chosen, 'new'))).toEqual(['portrait.png']);
  });

  it('writes into the default folder beside what the user opened (no dialog needed), never inside it', async () => {
    scope.allowDefaultOutputsOf([picture]);
    const outputDir = defaultOutputFolder([picture]);
    expect(outputDir).toBe(`${photos} cutouts`);
    const outcome = await harness.api.exportItem({ jobId: 'e4', itemId, format: 'matte-png', outputDir, settings });
    expect(outcome.output).toBe(join(outputDir, 'portrait_matte.png'));
    expect(await readdir(photos)).toEqual(['portrait.png']);
  });
});

describe('strict write scope (Electron): Batch Export', () => {
  it('refuses a batch into a folder the user never chose before anything is written', async () => {
    const unchosen = join(root, 'batch-unchosen');
    const error = await rejectionOf(harness.api.runBatch({ jobId: 'b1', inputs: [picture], outDir: unchosen, formats: ['png', 'webp'] }));
    expect(isStudioError(error, 'OUTPUT_UNWRITABLE'), String(error)).toBe(true);
    expect(existsSync(unchosen)).toBe(false);
  });

  it('runs a batch into a chosen folder, and a trial into its own temporary folder', async () => {
    const chosen = join(root, 'batch-chosen');
    await mkdir(chosen);
    scope.allow(chosen, 'dialog');
    const outcome = await harness.api.runBatch({ jobId: 'b2', inputs: [picture], outDir: chosen, formats: ['png', 'webp'] });
    expect(outcome).toMatchObject({ written: 2, failed: 0 });
    expect(await readdir(chosen)).toEqual(['portrait.png', 'portrait.webp']);
    const trial = await harness.api.runBatch({ jobId: 'b3', inputs: [picture], outDir: join(root, 'never-chosen'), formats: ['png'], trial: true });
    expect(trial).toMatchObject({ written: 1, failed: 0 });
    expect(existsSync(join(root, 'never-chosen'))).toBe(false);
  });

  it('fails an output whose name is a link leading out of the chosen folder, and writes nothing there', async () => {
    const chosen = join(root, 'batch-link');
    const elsewhere = join(root, 'elsewhere');
    await mkdir(chosen);
    await mkdir(elsewhere);
    scope.allow(chosen, 'dialog');
    await writeFile(join(elsewhere, 'notes.webp'), 'the user’s file elsewhere');
    await symlink(join(elsewhere, 'notes.webp'), join(chosen, 'portrait.webp'));
    const outcome = await harness.api.runBatch({ jobId: 'b4', inputs: [picture], outDir: chosen, formats: ['png', 'webp'], overwrite: 'overwrite' });
    expect(outcome.items[0]).toMatchObject({ outputs: [{ format: 'png' }], failed: [{ format: 'webp', error: { code: 'OUTPUT_UNWRITABLE' } }] });
    expect(await readdir(elsewhere)).toEqual(['notes.webp']);
    expect(await readFile(join(elsewhere, 'notes.webp'), 'utf8')).toBe('the user’s file elsewhere');
    expect((await lstat(join(chosen, 'portrait.webp'))).isSymbolicLink()).toBe(true);
  });
});

describe('non-strict write scope (web shell, CLI)', () => {
  it('records roots but refuses nothing', async () => {
    const open = createStudioHarness({ models: false, writeScope: new WriteScope(false), matteCacheFolder: join(root, 'cache-open') });
    try {
      const [item] = (await open.api.openPaths({ paths: [picture] })).items;
      const anywhere = join(root, 'anywhere');
      await open.api.exportItem({ jobId: 'w1', itemId: item!.id, format: 'png', outputDir: anywhere, settings });
      await open.api.runBatch({ jobId: 'w2', inputs: [picture], outDir: anywhere, formats: ['webp'] });
      expect(await readdir(anywhere)).toEqual(['portrait.png', 'portrait.webp']);
    } finally {
      await open.dispose();
    }
  });
});
