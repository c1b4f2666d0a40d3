import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRecentProject, loadRecentProjects, maximumRecentProjects, removeRecentProject } from './recentProjects';
import { defaultAppSettings, loadAppSettings, saveAppSettings, updateAppSettings, withRecentFolder } from './settingsStore';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'matte-settings-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const keptAside = async (prefix: string) => (await readdir(folder)).filter((name) => name.startsWith(`${prefix}.bad-`));

describe('recent projects', () => {
  it('keeps the newest first, one entry per path, at most ten', async () => {
    for (let index = 0; index < 12; index++) await addRecentProject(folder, `/p/${index}.mattestudio`, new Date(Date.UTC(2025, 0, 1, 0, index)));
    await addRecentProject(folder, '/p/5.mattestudio');
    const { projects, warnings } = await loadRecentProjects(folder);
    expect(warnings).toEqual([]);
    expect(projects).toHaveLength(maximumRecentProjects);
    expect(projects.map((entry) => entry.path)).toEqual(['/p/5.mattestudio', '/p/11.mattestudio', '/p/10.mattestudio', '/p/9.mattestudio', '/p/8.mattestudio', '/p/7.mattestudio', '/p/6.mattestudio', '/p/4.mattestudio', '/p/3.mattestudio', '/p/2.mattestudio']);
    expect((await removeRecentProject(folder, '/p/11.mattestudio')).map((entry) => entry.path)).not.toContain('/p/11.mattestudio');
  });

  it('serialises concurrent additions so none is lost', async () => {
    await Promise.all(['/a', '/b', '/c', '/d'].map((path) => addRecentProject(folder, path)));
    expect((await loadRecentProjects(folder)).projects.map((entry) => entry.path).sort()).toEqual(['/a', '/b', '/c', '/d']);
  });

  it.each([
    ['not JSON', '{"version":1,"projects":['],
    ['a wrong shape', JSON.stringify({ version: 1, projects: [{ path: 5 }] })],
    ['too many entries', JSON.stringify({ version: 1, projects: Array.from({ length: 11 }, (_, index) => ({ path: `/p${index}`, openedAt: '2025-01-01T00:00:00.000Z' })) })],
  ])('treats %s as damaged: empty list, warning, file kept aside', async (_label, text) => {
    await writeFile(join(folder, 'recentProjects.json'), text);
    const { projects, warnings } = await loadRecentProjects(folder);
    expect(projects).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/recent projects list was damaged/);
    const aside = await keptAside('recentProjects.json');
    expect(aside).toHaveLength(1);
    expect(await readFile(join(folder, aside[0]!), 'utf8')).toBe(text);
    // The next start is clean: the damaged file no longer sits under the real name.
    expect((await loadRecentProjects(folder)).warnings).toEqual([]);
  });
});

describe('app settings', () => {
  it('gives defaults when missing and round-trips saved settings', async () => {
    expect(await loadAppSettings(folder)).toEqual({ settings: defaultAppSettings(), warnings: [] });
    const settings = withRecentFolder({ ...defaultAppSettings(), theme: 'dark', lastExportFolder: '/out', defaultClipFormat: 'webm' }, '/in');
    await saveAppSettings(join(folder, 'nested'), settings);
    expect(await loadAppSettings(join(folder, 'nested'))).toEqual({ settings, warnings: [] });
    expect(settings.recentFolders).toEqual(['/in']);
  });

  it('resets only the bad fields, warns, keeps the original aside and writes the repaired file', async () => {
    const original = JSON.stringify({ theme: 'purple', lastExportFolder: '/out', defaultStillFormat: 'webp', recentFolders: 'nope' });
    await writeFile(join(folder, 'settings.json'), original);
    const { settings, warnings } = await loadAppSettings(folder);
    expect(settings).toEqual({ ...defaultAppSettings(), lastExportFolder: '/out', defaultStillFormat: 'webp' });
    expect(warnings).toEqual([expect.stringMatching(/reset to their defaults \(theme, recentFolders\)/)]);
    const aside = await keptAside('settings.json');
    expect(aside).toHaveLength(1);
    expect(await readFile(join(folder, aside[0]!), 'utf8')).toBe(original);
    expect(await loadAppSettings(folder)).toEqual({ settings, warnings: [] });
  });

  it('treats unparseable JSON as damaged: defaults and a kept copy', async () => {
    await writeFile(join(folder, 'settings.json'), '\u0000\u0000garbage');
    const { settings, warnings } = await loadAppSettings(folder);
    expect(settings).toEqual(defaultAppSettings());
    expect(warnings).toHaveLength(1);
    expect(await keptAside('settings.json')).toHaveLength(1);
  });

  it('applies concurrent updates one after another', async () => {
    await Promise.all([updateAppSettings(folder, { theme: 'light' }), updateAppSettings(folder, { lastOpenFolder: '/x' })]);
    expect((await loadAppSettings(folder)).settings).toMatchObject({ theme: 'light', lastOpenFolder: '/x' });
    await expect(updateAppSettings(folder, { theme: 'neon' as 'dark' })).rejects.toThrow();
  });
});
