import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { discardRecoverableSession, findRecoverableSessions, startAutosave, type AutosaveSnapshot } from './autosave';
import { openProject } from './projectStore';
import { describeTileMismatch, makeVersion } from './testing/projectVersions';

let settings: string;
beforeEach(async () => {
  settings = await mkdtemp(join(tmpdir(), 'matte-autosave-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(settings, { recursive: true, force: true });
});

const emptySnapshot = (): AutosaveSnapshot => ({ document: { items: [], activeItemId: null }, tiles: [] });

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

async function rewriteMarker(folder: string, patch: Record<string, unknown>): Promise<void> {
  const path = join(folder, 'session.json');
  await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), ...patch }));
}

describe('autosave debounce', () => {
  it('saves once, 2 s after the last change', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const snapshot = vi.fn(emptySnapshot);
    const session = await startAutosave({ settingsFolder: settings, snapshot });
    session.markChanged();
    await vi.advanceTimersByTimeAsync(1_500);
    session.markChanged();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(snapshot).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(snapshot).toHaveBeenCalledTimes(1);
    await session.flush();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(snapshot).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    await session.close();
  });

  it('saves at most 10 s after the first unsaved change while changes keep coming', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const snapshot = vi.fn(emptySnapshot);
    const session = await startAutosave({ settingsFolder: settings, snapshot });
    session.markChanged();
    for (let elapsed = 0; elapsed < 9_500; elapsed += 500) {
      await vi.advanceTimersByTimeAsync(500);
      session.markChanged();
    }
    expect(snapshot).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(snapshot).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    await session.close();
  });

  it('retries after a failed save and reports the error', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const errors: unknown[] = [];
    const snapshot = vi.fn<() => AutosaveSnapshot>().mockImplementationOnce(() => {
      throw new Error('disk gone');
    });
    snapshot.mockImplementation(emptySnapshot);
    const session = await startAutosave({ settingsFolder: settings, snapshot, onError: (error) => errors.push(error) });
    session.markChanged();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(snapshot).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
    await session.flush();
    await expect(readdir(session.folder)).resolves.toContain('untitled.mattestudio');
    await session.close();
  });
});

describe('recovery', () => {
  it('writes the recovery copy, and a clean exit removes it with the marker', async () => {
    const version = makeVersion(1, '/media');
    const session = await startAutosave({ settingsFolder: settings, projectId: 'proj-1', snapshot: () => version });
    session.markChanged();
    await session.flush();
    expect(session.recoveryPath).toBe(join(settings, 'recovery', session.sessionId, 'proj-1.mattestudio'));
    expect(describeTileMismatch(version.tiles, (await openProject(session.recoveryPath)).tiles)).toBeUndefined();
    await session.close();
    expect(await readdir(join(settings, 'recovery'))).toEqual([]);
  });

  it('does not offer a session whose process is alive (our own)', async () => {
    const session = await startAutosave({ settingsFolder: settings, snapshot: emptySnapshot });
    session.markChanged();
    await session.flush();
    expect(await findRecoverableSessions(settings)).toEqual([]);
    await session.close();
  });

  it('offers a session whose marker names a dead pid, and tidies dead sessions that never saved', async () => {
    const version = makeVersion(0, '/media');
    const crashed = await startAutosave({ settingsFolder: settings, projectId: 'proj-2', projectPath: '/work/a.mattestudio', snapshot: () => version });
    crashed.markChanged();
    await crashed.flush();
    const pid = deadPid();
    await rewriteMarker(crashed.folder, { pid });
    const empty = await startAutosave({ settingsFolder: settings, snapshot: emptySnapshot });
    await rewriteMarker(empty.folder, { pid });
    const found = await findRecoverableSessions(settings);
    expect(found).toEqual([expect.objectContaining({ sessionId: crashed.sessionId, pid, projectId: 'proj-2', projectPath: '/work/a.mattestudio', recoveryPath: crashed.recoveryPath })]);
    expect(describeTileMismatch(version.tiles, (await openProject(found[0]!.recoveryPath)).tiles)).toBeUndefined();
    expect(await readdir(join(settings, 'recovery'))).toEqual([crashed.sessionId]);
    await discardRecoverableSession(settings, found[0]!);
    expect(await findRecoverableSessions(settings)).toEqual([]);
  });

  it('treats a live pid from before a restart as dead, and leaves other machines alone', async () => {
    const session = await startAutosave({ settingsFolder: settings, snapshot: emptySnapshot });
    session.markChanged();
    await session.flush();
    await rewriteMarker(session.folder, { bootTimeMs: Date.now() - 400 * 86_400_000 });
    expect((await findRecoverableSessions(settings)).map((found) => found.sessionId)).toEqual([session.sessionId]);
    await rewriteMarker(session.folder, { pid: deadPid(), hostname: 'some-other-host' });
    expect(await findRecoverableSessions(settings)).toEqual([]);
  });

  it('counts a recovery copy with a damaged marker as recoverable', async () => {
    const session = await startAutosave({ settingsFolder: settings, snapshot: emptySnapshot });
    session.markChanged();
    await session.flush();
    await writeFile(join(session.folder, 'session.json'), '{"pid":');
    expect(await findRecoverableSessions(settings)).toEqual([expect.objectContaining({ sessionId: session.sessionId, pid: null })]);
  });

  it('markClean drops the recovery copy and renames the next one after the saved project', async () => {
    const session = await startAutosave({ settingsFolder: settings, snapshot: emptySnapshot });
    session.markChanged();
    await session.flush();
    expect(await readdir(session.folder)).toContain('untitled.mattestudio');
    await session.markClean({ projectId: 'saved-1', projectPath: '/p/saved.mattestudio' });
    expect((await readdir(session.folder)).sort()).toEqual(['session.json']);
    expect(JSON.parse(await readFile(join(session.folder, 'session.json'), 'utf8'))).toMatchObject({ projectId: 'saved-1', projectPath: '/p/saved.mattestudio' });
    session.markChanged();
    await session.flush();
    expect(await readdir(session.folder)).toContain('saved-1.mattestudio');
    await session.close();
  });

  it('refuses to discard anything outside the recovery folder', async () => {
    const outside = join(settings, 'precious');
    await mkdir(outside);
    await expect(discardRecoverableSession(settings, { folder: outside })).rejects.toThrow(RangeError);
    await expect(discardRecoverableSession(settings, { folder: join(settings, 'recovery') })).rejects.toThrow(RangeError);
    expect(await readdir(settings)).toContain('precious');
  });
});
