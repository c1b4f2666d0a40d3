import { describe, expect, it } from 'vitest';
import { isStudioError } from './errors';
import { currentProjectVersion, migrateProject, projectFileV2Schema, readProjectJson } from './projectFile';
import { refinementSettingsSchema } from './settings';

const fixedId = () => 'migrated-id';

/** A version-1 file as Matte Studio 0.x wrote it. */
const v1File = {
  format: 'matte-studio-project',
  version: 1,
  created: '2024-05-06T07:08:09.000Z',
  modified: '2024-05-07T07:08:09.000Z',
  items: [
    { id: 'a', file: '/media/a.png', type: 'image', refinement: { radius: 40, spill: 0.5, cartoon: 'on', feather: 2 }, frame: 0 },
    { id: 'b', file: 'C:\\media\\b.mov', type: 'video', refinement: { shift: -3, smooth: 4 }, frame: 12, model: 'modnet' },
  ],
  active: 'b',
};

const v2File = {
  format: 'matte-studio-project',
  version: 2,
  projectId: 'p1',
  createdAt: '2025-01-01T00:00:00.000Z',
  savedAt: '2025-01-02T00:00:00.000Z',
  items: [{ id: 'a', path: '/m/a.png', relativePath: 'm/a.png', kind: 'image', settings: {}, frameIndex: 0 }],
  activeItemId: 'a',
  maskEdits: { folder: 'x.mattestudio.d', frames: [] },
};

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('migrateProject / readProjectJson', () => {
  it('migrates version 1: renamed settings, video → clip, file → path, times, model', () => {
    const { project, warnings } = readProjectJson(v1File, fixedId);
    expect(warnings).toEqual([]);
    expect(project.version).toBe(currentProjectVersion);
    expect(project.projectId).toBe('migrated-id');
    expect(project.createdAt).toBe('2024-05-06T07:08:09.000Z');
    expect(project.savedAt).toBe('2024-05-07T07:08:09.000Z');
    expect(project.activeItemId).toBe('b');
    expect(project.items).toEqual([
      { id: 'a', path: '/media/a.png', kind: 'image', frameIndex: 0, settings: refinementSettingsSchema.parse({ radiusPx: 40, spillStrength: 0.5, cartoonMode: 'on', featherPx: 2 }) },
      { id: 'b', path: 'C:\\media\\b.mov', kind: 'clip', frameIndex: 12, modelId: 'modnet', settings: refinementSettingsSchema.parse({ shiftEdgePx: -3, smoothPx: 4 }) },
    ]);
    expect(project.items[0]!.relativePath).toBeUndefined();
    expect(projectFileV2Schema.safeParse(project).success).toBe(true);
  });

  it('hands version-1 inline hand edits to the store', () => {
    const edits = { version: 1, tileSizePx: 128, frames: [] };
    expect(readProjectJson({ ...v1File, maskEdits: edits }, fixedId).legacyMaskEdits).toBe(edits);
    expect(readProjectJson(v1File, fixedId).legacyMaskEdits).toBeUndefined();
  });

  it('refuses a newer version with a plain message', () => {
    const error = thrown(() => migrateProject({ ...v2File, version: 3 }));
    expect(isStudioError(error, 'PROJECT_TOO_NEW')).toBe(true);
    expect((error as Error).message).toMatch(/made by a newer Matte Studio \(project format 3\)/);
    expect((error as Error).message).toMatch(/Update Matte Studio/);
  });

  it('refuses JSON that is not a project, and a damaged envelope, as typed errors', () => {
    expect((thrown(() => readProjectJson({ hello: 1 })) as Error).message).toBe('This file is not a Matte Studio project.');
    expect((thrown(() => readProjectJson([1, 2])) as Error).message).toBe('This file is not a Matte Studio project.');
    const noItems = thrown(() => readProjectJson({ ...v2File, items: 'x' }));
    expect(isStudioError(noItems, 'PROJECT_DAMAGED')).toBe(true);
    expect((noItems as Error).message).toMatch(/^The project file is damaged: items/);
    const duplicate = thrown(() => readProjectJson({ ...v2File, items: [v2File.items[0], v2File.items[0]] }));
    expect((duplicate as Error).message).toMatch(/unique/);
    expect(isStudioError(thrown(() => readProjectJson({ ...v2File, version: 'two' })), 'PROJECT_DAMAGED')).toBe(true);
    expect(isStudioError(thrown(() => readProjectJson({ ...v1File, items: [{ id: 'a' }] })), 'PROJECT_DAMAGED')).toBe(true);
  });

  it('refuses relative media paths and sidecar names that climb out of the folder', () => {
    expect(isStudioError(thrown(() => readProjectJson({ ...v2File, items: [{ ...v2File.items[0], path: 'm/a.png' }] })), 'PROJECT_DAMAGED')).toBe(true);
    expect(isStudioError(thrown(() => readProjectJson({ ...v2File, maskEdits: { folder: '..', frames: [] } })), 'PROJECT_DAMAGED')).toBe(true);
    expect(isStudioError(thrown(() => readProjectJson({ ...v2File, maskEdits: { folder: 'a/../b', frames: [] } })), 'PROJECT_DAMAGED')).toBe(true);
  });

  it('resets bad optional parts with warnings instead of failing the project', () => {
    const { project, warnings } = readProjectJson({
      ...v2File,
      items: [{ ...v2File.items[0], settings: { radiusPx: -5 } }],
      activeItemId: 'gone',
      view: { zoom: 'big' },
      exportDefaults: { stillFormat: 'bmp' },
      maskEdits: { folder: 'x.mattestudio.d', frames: [{ itemId: 'zzz', frameIndex: 0, blob: 'a'.repeat(64), byteLength: 10 }] },
    });
    expect(project.items[0]!.settings).toEqual(refinementSettingsSchema.parse({}));
    expect(project.activeItemId).toBe('a');
    expect(project.view).toBeUndefined();
    expect(project.exportDefaults).toBeUndefined();
    expect(project.maskEdits.frames).toEqual([]);
    expect(warnings).toHaveLength(5);
  });

  it('reads a sound version-2 file unchanged and without warnings', () => {
    const { project, warnings } = readProjectJson(v2File);
    expect(warnings).toEqual([]);
    expect(project).toEqual({ ...v2File, items: [{ ...v2File.items[0], settings: refinementSettingsSchema.parse({}) }] });
  });
});
