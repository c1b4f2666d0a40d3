import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { studioContract, type StudioContract } from '../../shared/contract/studioContract';
import type { ContractClient, MethodInput } from '../../shared/rpc/defineContract';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport';
import { RpcClient } from '../../shared/rpc/rpcClient';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { rejectionOf } from '../../shared/rpc/testing/contractSuite';
import { refinementSettingsSchema } from '../../shared/settings';
import { createEngine } from '../engine';
import { findRecoverableSessions } from '../projects/autosave';
import { createStudioService, type StudioServiceOptions } from './studioService';

type Api = ContractClient<StudioContract>;
type DocumentInput = MethodInput<StudioContract, 'saveProject'>['document'];

let root: string;
let media: string;
let settingsFolder: string;
const running: Array<() => Promise<void>> = [];

/** A studio over the real RPC (JSON round trip) with an engine WITHOUT models: nothing here needs a matte. */
function startStudio(extra: Partial<StudioServiceOptions> = {}): { api: Api; dispose: () => Promise<void>; errors: unknown[] } {
  const engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') });
  const errors: unknown[] = [];
  const studio = createStudioService({ engine, shell: 'web', settingsFolder, projects: { autosave: { quietMs: 30, maximumDelayMs: 200 } }, onError: (error) => errors.push(error), ...extra });
  const server = new RpcServer(studioContract, studio.handlers, { validateOutputs: true, onError: (error) => errors.push(error) });
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  const client = new RpcClient(studioContract, clientSide);
  let isDisposed = false;
  const dispose = async () => {
    if (isDisposed) return;
    isDisposed = true;
    client.dispose();
    server.dispose();
    await studio.dispose();
    await engine.dispose();
  };
  running.push(dispose);
  return { api: client.api, dispose, errors };
}

/** A tile plane of `width × height` bytes, filled with `value` (base64, as the renderer sends it). */
const plane = (width: number, height: number, value: number) => Buffer.alloc(width * height, value).toString('base64');

/** 300×200: tiles (0,0) 128×128, (2,1) 44×72 (the partial corner tile). */
const edit = {
  width: 300,
  height: 200,
  tileSizePx: 128,
  tiles: [
    { tileX: 0, tileY: 0, add: '', remove: plane(128, 128, 200) },
    { tileX: 2, tileY: 1, add: plane(44, 72, 255), remove: '' },
  ],
};

function documentOf(items: Array<{ id: string; path: string }>, radiusPx = 12): DocumentInput {
  return {
    items: items.map((item, index) => ({ id: item.id, path: item.path, kind: 'image' as const, settings: refinementSettingsSchema.parse({ radiusPx: radiusPx + index }), frameIndex: 0 })),
    activeItemId: items[1]?.id ?? null,
    view: { zoom: 2, panX: 10, panY: -4, viewMode: 'matte', overlayColor: '#ff3b30', overlayOpacity: 0.5, backgroundColor: '#00b140', splitFraction: 0.25 },
  };
}

async function openMedia(api: Api) {
  const { items } = await api.openPaths({ paths: [join(media, 'first.png'), join(media, 'second.png')] });
  expect(items).toHaveLength(2);
  return items;
}

async function waitForFile(folder: string, pattern: RegExp): Promise<string> {
  let found: string | undefined;
  await vi.waitFor(
    async () => {
      for (const session of await readdir(folder).catch(() => [] as string[])) {
        const name = (await readdir(join(folder, session)).catch(() => [] as string[])).find((entry) => pattern.test(entry));
        if (name) found = join(folder, session, name);
      }
      expect(found).toBeDefined();
    },
    { timeout: 10_000, interval: 20 },
  );
  return found!;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'matte-project-handlers-'));
});
beforeEach(async () => {
  media = await mkdtemp(join(root, 'media-'));
  settingsFolder = await mkdtemp(join(root, 'settings-'));
  const picture = { create: { width: 300, height: 200, channels: 3 as const, background: '#4080c0' } };
  await sharp(picture).png().toFile(join(media, 'first.png'));
  await sharp({ create: { ...picture.create, width: 64, height: 48 } }).png().toFile(join(media, 'second.png'));
});
afterEach(async () => {
  for (const dispose of running.splice(0)) await dispose();
});

describe('saveProject and openProject', () => {
  it('round-trips items, settings, view and the hand edits set with setMaskEdit, into a studio that never saw them', async () => {
    const first = startStudio();
    const [a, b] = await openMedia(first.api);
    await first.api.setMaskEdit({ itemId: a!.id, frameIndex: 0, edit });
    const saved = await first.api.saveProject({ path: join(media, 'session'), document: documentOf([a!, b!]) });
    expect(saved.project).toMatchObject({ path: join(media, 'session.mattestudio'), name: 'session' });
    const file = JSON.parse(await readFile(join(media, 'session.mattestudio'), 'utf8'));
    expect(file).toMatchObject({ format: 'matte-studio-project', version: 2, items: [{ id: a!.id, relativePath: 'first.png' }, { id: b!.id }] });
    expect(file.maskEdits.frames).toEqual([expect.objectContaining({ itemId: a!.id, frameIndex: 0 })]);
    await first.dispose();

    // Moved with its media: the relative paths find the pictures, which now have other ids in the new studio.
    const moved = join(root, `moved-${Date.now()}`);
    await rename(media, moved);
    const second = startStudio();
    const opened = await second.api.openProject({ path: join(moved, 'session.mattestudio') });
    const [movedA, movedB] = opened.items;
    expect(opened.items.map((item) => item.path)).toEqual([join(moved, 'first.png'), join(moved, 'second.png')]);
    expect(movedA!.id).not.toBe(a!.id);
    expect(opened.states).toEqual([
      { itemId: movedA!.id, settings: expect.objectContaining({ radiusPx: 12 }), frameIndex: 0 },
      { itemId: movedB!.id, settings: expect.objectContaining({ radiusPx: 13 }), frameIndex: 0 },
    ]);
    expect(opened).toMatchObject({ activeItemId: movedB!.id, view: { viewMode: 'matte', zoom: 2, splitFraction: 0.25 }, failures: [], warnings: [], isUnsaved: false });
    expect(opened.maskEdits).toEqual([{ itemId: movedA!.id, frameIndex: 0, edit }]);

    // The engine holds the loaded edits too: a plain Save writes them again, same project id.
    const resaved = await second.api.saveProject({ document: documentOf([movedA!, movedB!], 30) });
    expect(resaved.project).toEqual({ ...opened.project, path: join(moved, 'session.mattestudio') });
    const third = startStudio();
    const reopened = await third.api.openProject({ path: join(moved, 'session.mattestudio') });
    expect(reopened.maskEdits).toEqual([{ itemId: movedA!.id, frameIndex: 0, edit }]);
    expect(reopened.states[0]!.settings.radiusPx).toBe(30);
    // The recent list has the moved project first and marks the old place as gone.
    expect((await third.api.listRecentProjects({})).projects.map((entry) => [entry.path, entry.exists])).toEqual([
      [join(moved, 'session.mattestudio'), true],
      [join(media, 'session.mattestudio'), false],
    ]);
  });

  it('keeps Refine Edge marks (mark-only tiles too) through Save, Open and the autosave recovery copy', async () => {
    const marked = {
      ...edit,
      tiles: [
        { tileX: 0, tileY: 0, add: '', remove: plane(128, 128, 200), refineEdge: plane(128, 128, 255) },
        { tileX: 1, tileY: 1, add: '', remove: '', refineEdge: plane(128, 72, 130) },
      ],
    };
    const first = startStudio();
    const [a, b] = await openMedia(first.api);
    await first.api.setMaskEdit({ itemId: a!.id, frameIndex: 0, edit: marked });
    await first.api.saveProject({ path: join(media, 'marked'), document: documentOf([a!, b!]) });
    // The blob says it holds marks (version 2), so a build from before the brush refuses it in words.
    const sidecar = join(media, 'marked.mattestudio.d');
    const [blob] = (await readdir(sidecar)).filter((name) => name.endsWith('.mstiles'));
    expect((await readFile(join(sidecar, blob!)))[4]).toBe(2);
    await first.api.markDocumentChanged({ document: documentOf([a!, b!]) });
    const copy = await waitForFile(join(settingsFolder, 'recovery'), /\.mattestudio$/);
    // The crash: the session is never closed and its process is gone (a pid that has certainly exited).
    const marker = join(copy, '..', 'session.json');
    await writeFile(marker, JSON.stringify({ ...JSON.parse(await readFile(marker, 'utf8')), pid: spawnSync(process.execPath, ['-e', '']).pid! }));

    const second = startStudio();
    const opened = await second.api.openProject({ path: join(media, 'marked.mattestudio') });
    expect(opened.warnings).toEqual([]);
    expect(opened.maskEdits).toEqual([{ itemId: a!.id, frameIndex: 0, edit: marked }]);
    const third = startStudio();
    const { sessions } = await third.api.listRecoverableSessions({});
    const recovered = await third.api.recoverSession({ sessionId: sessions[0]!.sessionId });
    expect(recovered.maskEdits).toEqual([{ itemId: a!.id, frameIndex: 0, edit: marked }]);
  });

  it('Save As gives a new project id; Save before any save, relative paths and missing media are reported in words', async () => {
    const { api } = startStudio();
    const [a, b] = await openMedia(api);
    expect((await rejectionOf(api.saveProject({ document: documentOf([a!]) }))).code).toBe('INVALID_INPUT');
    expect((await rejectionOf(api.saveProject({ path: 'relative/name', document: documentOf([a!]) }))).message).toMatch(/full path/);
    const one = await api.saveProject({ path: join(media, 'one.mattestudio'), document: documentOf([a!, b!]) });
    const two = await api.saveProject({ path: join(media, 'two.mattestudio'), document: documentOf([a!, b!]) });
    expect(two.project.projectId).not.toBe(one.project.projectId);
    // Save As onto another project's file replaces it only when asked to.
    const before = await readFile(join(media, 'one.mattestudio'), 'utf8');
    expect(await rejectionOf(api.saveProject({ path: join(media, 'one.mattestudio'), document: documentOf([a!]) }))).toMatchObject({ code: 'OUTPUT_EXISTS', message: 'one.mattestudio already exists. Replace it?' });
    expect(await readFile(join(media, 'one.mattestudio'), 'utf8')).toBe(before);
    await api.saveProject({ path: join(media, 'one.mattestudio'), document: documentOf([a!]), replace: true });
    expect(await readFile(join(media, 'one.mattestudio'), 'utf8')).not.toBe(before);
    await api.saveProject({ path: join(media, 'two.mattestudio'), document: documentOf([a!, b!]), replace: true });
    expect((await api.listRecentProjects({})).projects.map((entry) => entry.name)).toEqual(['two', 'one']);

    await rm(join(media, 'second.png'));
    const opened = await api.openProject({ path: join(media, 'two.mattestudio') });
    expect(opened.items.map((item) => item.id)).toEqual([a!.id]);
    expect(opened.warnings.join(' ')).toMatch(/second\.png/);
    expect((await rejectionOf(api.openProject({ path: join(media, 'none.mattestudio') }))).code).toBe('FILE_NOT_FOUND');
  });

  it('keeps an item whose media is missing, with its edits and settings, through a save, until the file is back', async () => {
    const first = startStudio();
    const [a, b] = await openMedia(first.api);
    const smallEdit = { width: 64, height: 48, tileSizePx: 128, tiles: [{ tileX: 0, tileY: 0, add: plane(64, 48, 255), remove: '' }] };
    await first.api.setMaskEdit({ itemId: b!.id, frameIndex: 0, edit: smallEdit });
    await first.api.saveProject({ path: join(media, 'kept.mattestudio'), document: documentOf([a!, b!]) });
    await first.dispose();

    await rename(join(media, 'second.png'), join(media, 'away.png'));
    const second = startStudio();
    const opened = await second.api.openProject({ path: join(media, 'kept.mattestudio') });
    expect(opened.items.map((item) => item.path)).toEqual([join(media, 'first.png')]);
    expect(opened.warnings.join(' ')).toMatch(/stays in the project, with 1 hand-edited frame, and opens again once the file is back/);
    // The user saves what they see: one item. The missing one goes along.
    await second.api.saveProject({ document: documentOf([opened.items[0]!], 40) });
    await second.dispose();

    await rename(join(media, 'away.png'), join(media, 'second.png'));
    const third = startStudio();
    const reopened = await third.api.openProject({ path: join(media, 'kept.mattestudio') });
    expect(reopened.items.map((item) => item.path)).toEqual([join(media, 'first.png'), join(media, 'second.png')]);
    expect(reopened.states.map((state) => state.settings.radiusPx)).toEqual([40, 13]);
    expect(reopened.maskEdits).toEqual([{ itemId: reopened.items[1]!.id, frameIndex: 0, edit: smallEdit }]);
    expect(reopened.warnings).toEqual([]);
  });
});

describe('the "On picture" background picture', () => {
  it('travels with Save, Open and the recovery copy; a path the engine does not keep is never copied', async () => {
    const wall = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c03020' } }).png().toBuffer();
    const first = startStudio({ matteCache: { folder: await mkdtemp(join(root, 'cache-')) } });
    const [a, b] = await openMedia(first.api);
    const stored = await first.api.storeBackgroundPicture({ name: 'red wall.png', base64: wall.toString('base64') });
    await first.api.saveProject({ path: join(media, 'pictured'), document: { ...documentOf([a!, b!]), backgroundPicture: { name: 'red wall.png', path: stored.path } } });
    const file = JSON.parse(await readFile(join(media, 'pictured.mattestudio'), 'utf8'));
    expect(file.backgroundPicture).toMatchObject({ name: 'red wall.png' });
    expect(await readFile(join(media, 'pictured.mattestudio.d', file.backgroundPicture.file))).toEqual(wall);

    // The renderer names a file of its choosing: the save goes on without it.
    await first.api.saveProject({ path: join(media, 'forged'), document: { ...documentOf([a!, b!]), backgroundPicture: { name: 'x.png', path: join(media, 'first.png') } } });
    expect(JSON.parse(await readFile(join(media, 'forged.mattestudio'), 'utf8')).backgroundPicture).toBeUndefined();
    await first.dispose();

    // Another studio with an empty cache: the picture comes back from the project and is kept again for exports.
    const secondCache = await mkdtemp(join(root, 'cache-'));
    const second = startStudio({ matteCache: { folder: secondCache } });
    const opened = await second.api.openProject({ path: join(media, 'pictured.mattestudio') });
    expect(opened.warnings).toEqual([]);
    expect(opened.backgroundPicture).toEqual({ name: 'red wall.png', path: join(secondCache, 'backgrounds', file.backgroundPicture.file) });
    expect(await readFile(opened.backgroundPicture!.path)).toEqual(wall);

    // The recovery copy holds it too.
    await second.api.markDocumentChanged({ document: { ...documentOf(opened.items), backgroundPicture: opened.backgroundPicture } });
    const copy = await waitForFile(join(settingsFolder, 'recovery'), /\.mattestudio$/);
    await vi.waitFor(async () => expect(JSON.parse(await readFile(copy, 'utf8')).backgroundPicture).toMatchObject({ name: 'red wall.png' }), { timeout: 10_000 });
  });
});

describe('autosave and recovery', () => {
  const recoveryFolder = () => join(settingsFolder, 'recovery');

  it('writes a recovery copy after markDocumentChanged; after a crash another studio recovers it, edits included', async () => {
    const crashed = startStudio();
    const [a, b] = await openMedia(crashed.api);
    await crashed.api.setMaskEdit({ itemId: a!.id, frameIndex: 0, edit });
    await crashed.api.markDocumentChanged({ document: documentOf([a!, b!], 40) });
    const copy = await waitForFile(recoveryFolder(), /^untitled\.mattestudio$/);
    expect(JSON.parse(await readFile(copy, 'utf8')).items).toHaveLength(2);
    // The crash: the session is never closed and its process is gone (a pid that has certainly exited).
    const marker = join(copy, '..', 'session.json');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(marker, JSON.stringify({ ...JSON.parse(await readFile(marker, 'utf8')), pid: deadPid }));

    const next = startStudio();
    const { sessions } = await next.api.listRecoverableSessions({});
    expect(sessions).toEqual([expect.objectContaining({ projectName: 'Untitled', projectPath: null, itemCount: 2 })]);
    const recovered = await next.api.recoverSession({ sessionId: sessions[0]!.sessionId });
    expect(recovered).toMatchObject({ isUnsaved: true, activeItemId: b!.id, project: { path: null, name: 'Untitled' } });
    expect(recovered.states.map((state) => state.settings.radiusPx)).toEqual([40, 41]);
    expect(recovered.maskEdits).toEqual([{ itemId: a!.id, frameIndex: 0, edit }]);
    // Taken over: the crashed session's folder is gone and this session holds a copy of its own.
    expect((await next.api.listRecoverableSessions({})).sessions).toEqual([]);
    expect(await readdir(recoveryFolder())).toHaveLength(1);
    expect((await rejectionOf(next.api.recoverSession({ sessionId: sessions[0]!.sessionId }))).code).toBe('INVALID_INPUT');
    await next.dispose();
    expect(await readdir(recoveryFolder())).toEqual([]);
  });

  it('a clean close leaves nothing to recover, a studio that changed nothing writes nothing, discard deletes a copy', async () => {
    const idle = startStudio();
    await openMedia(idle.api);
    await idle.dispose();
    expect(await readdir(settingsFolder)).toEqual([]);

    const clean = startStudio();
    const [a] = await openMedia(clean.api);
    await clean.api.markDocumentChanged({ document: documentOf([a!]) });
    await waitForFile(recoveryFolder(), /^untitled\.mattestudio$/);
    await clean.dispose();
    expect(await findRecoverableSessions(settingsFolder)).toEqual([]);
    expect(await readdir(recoveryFolder())).toEqual([]);

    const crashed = startStudio();
    await crashed.api.markDocumentChanged({ document: documentOf([a!]) });
    const copy = await waitForFile(recoveryFolder(), /^untitled\.mattestudio$/);
    await rm(join(copy, '..', 'session.json'));
    const other = startStudio();
    const [session] = (await other.api.listRecoverableSessions({})).sessions;
    expect(session).toBeDefined();
    await other.api.discardRecoverableSession({ sessionId: session!.sessionId });
    expect((await other.api.listRecoverableSessions({})).sessions).toEqual([]);
  });

  it('a save clears the recovery copy and names the session after the project', async () => {
    const { api } = startStudio();
    const [a] = await openMedia(api);
    await api.markDocumentChanged({ document: documentOf([a!]) });
    const copy = await waitForFile(recoveryFolder(), /^untitled\.mattestudio$/);
    const saved = await api.saveProject({ path: join(media, 'named.mattestudio'), document: documentOf([a!]) });
    await expect(readFile(copy)).rejects.toThrow();
    const marker = JSON.parse(await readFile(join(copy, '..', 'session.json'), 'utf8'));
    expect(marker).toMatchObject({ projectId: saved.project.projectId, projectPath: join(media, 'named.mattestudio') });
  });
});

describe('getStartupPaths', () => {
  it('answers the command-line paths once and tells the shell the renderer is ready', async () => {
    const onRendererReady = vi.fn();
    const { api } = startStudio({ projects: { startupPaths: ['/tmp/a.png', '/tmp/folder'], onRendererReady } });
    expect(await api.getStartupPaths({})).toEqual({ paths: ['/tmp/a.png', '/tmp/folder'] });
    expect(onRendererReady).toHaveBeenCalledTimes(1);
    expect(await api.getStartupPaths({})).toEqual({ paths: [] });
  });
});
