import { mkdir, mkdtemp, readdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { refinementSettingsSchema } from '../../shared/settings';
import { ItemRegistry } from '../handlers/itemRegistry';
import { MaskEditStore } from '../handlers/maskEdits';
import { createProjectService } from '../handlers/projectHandlers';
import { WriteScope } from './writeScope';

describe('WriteScope', () => {
  it('allows writes inside chosen roots only, by real path (a link inside a root does not widen it)', async () => {
    const base = await mkdtemp(join(tmpdir(), 'scope-'));
    const chosen = join(base, 'chosen');
    const browsed = join(base, 'browsed');
    const elsewhere = join(base, 'elsewhere');
    for (const folder of [chosen, browsed, elsewhere, join(browsed, 'deeper')]) await mkdir(folder);
    await symlink(elsewhere, join(chosen, 'escape'));
    const scope = new WriteScope(true);
    scope.allow(chosen, 'dialog');
    scope.allow(browsed, 'dialog', { recursive: false });
    expect(scope.contains(join(chosen, 'a.png'))).toBe(true);
    expect(scope.contains(join(chosen, 'new', 'sub', 'a.png'))).toBe(true);
    expect(scope.contains(join(chosen, 'escape', 'a.png'))).toBe(false);
    expect(scope.contains(join(chosen, '..', 'elsewhere', 'a.png'))).toBe(false);
    expect(scope.contains(join(browsed, 'a.png'))).toBe(true);
    expect(scope.contains(join(browsed, 'deeper', 'a.png'))).toBe(false);
    expect(scope.contains('/etc/passwd')).toBe(false);
    const error = (() => {
      try {
        scope.assertWritable(join(elsewhere, 'x.mattestudio'));
      } catch (caught) {
        return caught;
      }
    })();
    expect(isStudioError(error, 'OUTPUT_UNWRITABLE')).toBe(true);
    await expect(scope.assertWritableAsync(join(chosen, 'escape', 'x.png'))).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    await expect(scope.assertWritableAsync(join(chosen, 'x.png'))).resolves.toBeUndefined();
    scope.setStrict(false);
    expect(() => scope.assertWritable('/etc/passwd')).not.toThrow();
  });

  it('allows the default output folder beside opened sources, never the sources’ own folders', async () => {
    const base = await realpath(await mkdtemp(join(tmpdir(), 'scope-defaults-')));
    const portraits = join(base, 'photos', 'portraits');
    await mkdir(portraits, { recursive: true });
    await writeFile(join(base, 'photos', 'a.jpg'), 'x');
    const scope = new WriteScope(true);
    scope.allowDefaultOutputsOf([portraits, join(base, 'photos', 'a.jpg')]);
    expect(scope.roots().map((root) => [root.folder.slice(base.length), root.reason])).toEqual([
      ['/photos/portraits cutouts', 'default-output'],
      ['/photos cutouts', 'default-output'],
    ]);
    expect(scope.contains(join(base, 'photos', 'portraits cutouts', 'a.png'))).toBe(true);
    expect(scope.contains(join(base, 'photos', 'portraits', 'a.png'))).toBe(false);
    expect(scope.contains(join(base, 'photos', 'cutouts', 'a.png'))).toBe(false);
    expect(scope.contains(join(base, 'photos', 'b.png'))).toBe(false);
  });

  it('saveProject over the contract handlers: refused outside the scope (nothing written), allowed in the settings, argument and opened-project folders', async () => {
    const base = await mkdtemp(join(tmpdir(), 'scope-projects-'));
    const [settings, argumentFolder, outside] = [join(base, 'settings'), join(base, 'argument'), join(base, 'outside')];
    for (const folder of [settings, argumentFolder, outside]) await mkdir(folder);
    await writeFile(join(argumentFolder, 'a.png'), 'x');
    const scope = new WriteScope(true);
    const projects = createProjectService({ items: new ItemRegistry(), maskEdits: new MaskEditStore(), settingsFolder: settings, startupPaths: [argumentFolder], writeScope: scope });
    const document = { items: [{ id: 'a', path: join(argumentFolder, 'a.png'), kind: 'image' as const, settings: refinementSettingsSchema.parse({}), frameIndex: 0 }], activeItemId: 'a' };
    const context = { signal: new AbortController().signal, emit: () => {} } as never;
    const refused = await Promise.resolve().then(() => projects.handlers.saveProject({ path: join(outside, 'p.mattestudio'), document, replace: false }, context)).catch((error: unknown) => error);
    expect(isStudioError(refused, 'OUTPUT_UNWRITABLE'), String(refused)).toBe(true);
    expect(await readdir(outside)).toEqual([]);
    await projects.handlers.saveProject({ path: join(argumentFolder, 'p.mattestudio'), document, replace: false }, context);
    await projects.handlers.saveProject({ path: join(settings, 'q.mattestudio'), document, replace: false }, context);
    expect(scope.roots().map((root) => root.reason).sort()).toEqual(['argument', 'settings']);
    await projects.close();
  });
});
