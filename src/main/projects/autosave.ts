/**
 * Autosave and crash recovery. Each running studio owns one session folder:
 *
 *   <settings folder>/recovery/<session id>/session.json                  the "session running" marker (pid, start)
 *   <settings folder>/recovery/<session id>/<project id|untitled>.mattestudio   the recovery copy
 *   <settings folder>/recovery/<session id>/<project id|untitled>.mattestudio.d/ its tiles
 *
 * One folder per session (not one flat file per project) so two studios, or two windows on untitled documents,
 * never write the same recovery copy, and the marker always sits beside the copy it vouches for. The copy is written
 * with `saveProject`, so it has the same crash guarantee as a real save: old or new, never a mix.
 *
 * Saves are debounced: {@link defaultQuietMs} after the last change, but never more than {@link defaultMaximumDelayMs}
 * after the first unsaved one, so steady painting is still saved and a crash loses at most about ten seconds.
 * A clean exit (`close`) deletes the folder; a folder whose marker names a dead process is what
 * {@link findRecoverableSessions} offers to recover.
 */
import { randomUUID } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readdir, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { projectExtension, type ProjectDocument } from '../../shared/projectFile';
import { ensureFolder, readTextIfPresent, writeJsonDurably } from './durableFiles';
import { saveProject, sidecarFolderFor } from './projectStore';
import { isProcessAlive, type ProjectTiles } from './tileBlobs';

/** Quiet time after the last change before an autosave starts, in milliseconds. */
export const defaultQuietMs = 2_000;
/** Longest an unsaved change waits while changes keep coming, in milliseconds. */
export const defaultMaximumDelayMs = 10_000;
/** Boot times further apart than this mean the machine restarted since the marker was written (pids recycled). */
const bootToleranceMs = 120_000;

const sessionMarkerSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  startedAt: z.iso.datetime({ offset: true }),
  hostname: z.string(),
  /** Wall-clock boot time of the machine, so a pid reused after a restart is not mistaken for the session. */
  bootTimeMs: z.number(),
  projectId: z.string().nullable(),
  projectPath: z.string().nullable(),
});
type SessionMarker = z.output<typeof sessionMarkerSchema>;

/** What an autosave writes: the document's project part and its hand-edited tiles, taken when the save starts. */
export interface AutosaveSnapshot {
  document: ProjectDocument;
  tiles: ProjectTiles;
}

/** How to run autosave. */
export interface AutosaveOptions {
  settingsFolder: string;
  /** Called when a save starts, so the copy holds the latest state. */
  snapshot: () => AutosaveSnapshot | Promise<AutosaveSnapshot>;
  /** The opened project, if any (names the recovery copy; shown in the Recover dialog). */
  projectId?: string | null;
  projectPath?: string | null;
  /** @default {@link defaultQuietMs} */
  quietMs?: number;
  /** @default {@link defaultMaximumDelayMs} */
  maximumDelayMs?: number;
  onSaved?: (recoveryPath: string) => void;
  /** A failed autosave is retried after the next quiet period; the studio should show this once. */
  onError?: (error: unknown) => void;
}

/** A recovery copy left by a session that did not exit cleanly. */
export interface RecoverableSession {
  readonly sessionId: string;
  readonly folder: string;
  /** Open it with `openProject`. */
  readonly recoveryPath: string;
  readonly pid: number | null;
  readonly startedAt: string | null;
  readonly projectId: string | null;
  /** Where the project was saved, if it ever was (to offer "Save over the original"). */
  readonly projectPath: string | null;
  /** When the recovery copy was last written. */
  readonly savedAt: Date;
}

const recoveryFolderOf = (settingsFolder: string) => join(settingsFolder, 'recovery');
const currentBootTimeMs = () => Date.now() - uptime() * 1000;

/** One running session's autosave. Create with {@link startAutosave}. */
export class AutosaveSession {
  private timer: NodeJS.Timeout | undefined;
  private firstUnsavedAt: number | undefined;
  private isDirty = false;
  private isClosed = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly sessionId: string,
    readonly folder: string,
    private marker: SessionMarker,
    private readonly options: AutosaveOptions,
  ) {}

  /** The recovery copy's path (it exists once the first autosave finished). */
  get recoveryPath(): string {
    return join(this.folder, `${this.marker.projectId ?? 'untitled'}${projectExtension}`);
  }

  /** Records that the document changed; the save follows the debounce rules. */
  markChanged(): void {
    if (this.isClosed) return;
    this.isDirty = true;
    this.firstUnsavedAt ??= Date.now();
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const quietMs = this.options.quietMs ?? defaultQuietMs;
    const deadline = (this.firstUnsavedAt ?? Date.now()) + (this.options.maximumDelayMs ?? defaultMaximumDelayMs);
    this.timer = setTimeout(() => void this.flush(), Math.max(0, Math.min(quietMs, deadline - Date.now())));
  }

  /** Saves now if anything is unsaved; resolves when that save (and any before it) finished. Never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(() => this.saveIfDirty());
  }

  /** Runs session work one step at a time; a failed step does not stop later ones. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async saveIfDirty(): Promise<void> {
    if (!this.isDirty || this.isClosed) return;
    // Cleared before the snapshot: a change during the save marks the document dirty again and schedules another.
    this.isDirty = false;
    this.firstUnsavedAt = undefined;
    try {
      const { document, tiles } = await this.options.snapshot();
      await saveProject(this.recoveryPath, document, tiles);
      this.options.onSaved?.(this.recoveryPath);
    } catch (error) {
      this.isDirty = true;
      this.firstUnsavedAt ??= Date.now();
      if (!this.isClosed) this.schedule();
      this.options.onError?.(error);
    }
  }

  /**
   * After an explicit save or an open: nothing is unsaved, so the recovery copy goes; the marker takes the
   * project's new identity (a Save As changes both).
   */
  markClean(identity: { projectId: string | null; projectPath: string | null }): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(async () => {
      this.isDirty = false;
      this.firstUnsavedAt = undefined;
      await this.removeRecoveryCopy();
      this.marker = { ...this.marker, projectId: identity.projectId, projectPath: identity.projectPath };
      if (!this.isClosed) await writeJsonDurably(join(this.folder, 'session.json'), this.marker);
    });
  }

  private async removeRecoveryCopy(): Promise<void> {
    await rm(this.recoveryPath, { force: true });
    await rm(sidecarFolderFor(this.recoveryPath), { recursive: true, force: true });
  }

  /** Clean exit: stops autosaving and deletes the session folder (marker and recovery copy). */
  async close(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.timer);
    await this.queue;
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** Starts this session's autosave: creates its folder and the "session running" marker. */
export async function startAutosave(options: AutosaveOptions): Promise<AutosaveSession> {
  const sessionId = randomUUID();
  const folder = join(recoveryFolderOf(options.settingsFolder), sessionId);
  await ensureFolder(folder);
  const marker: SessionMarker = {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    hostname: hostname(),
    bootTimeMs: currentBootTimeMs(),
    projectId: options.projectId ?? null,
    projectPath: options.projectPath ?? null,
  };
  await writeJsonDurably(join(folder, 'session.json'), marker);
  return new AutosaveSession(sessionId, folder, marker, options);
}

/** True while the marker's session may still be running (it is then never offered for recovery or deleted). */
function isSessionRunning(marker: SessionMarker, isAlive: (pid: number) => boolean): boolean {
  // Another machine sharing this settings folder: its pids mean nothing here, so leave its sessions alone.
  if (marker.hostname !== hostname()) return true;
  if (Math.abs(marker.bootTimeMs - currentBootTimeMs()) > bootToleranceMs) return false;
  return isAlive(marker.pid);
}

async function readMarker(folder: string): Promise<SessionMarker | undefined> {
  try {
    const text = await readTextIfPresent(join(folder, 'session.json'));
    return text === undefined ? undefined : sessionMarkerSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Recovery copies of sessions that did not exit cleanly, newest first. Sessions still running (including this one)
 * are skipped; dead sessions that never autosaved are tidied away. A missing or damaged marker beside a recovery
 * copy counts as dead: the marker is written before any copy, so only a crash can leave that state.
 */
export async function findRecoverableSessions(settingsFolder: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<RecoverableSession[]> {
  const recoveryFolder = recoveryFolderOf(settingsFolder);
  const names = await readdir(recoveryFolder).catch(() => [] as string[]);
  const sessions: RecoverableSession[] = [];
  for (const sessionId of names) {
    const folder = join(recoveryFolder, sessionId);
    if (!(await stat(folder).then((info) => info.isDirectory(), () => false))) continue;
    const marker = await readMarker(folder);
    if (marker !== undefined && isSessionRunning(marker, isAlive)) continue;
    const copies = [];
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const info = name.endsWith(projectExtension) ? await stat(join(folder, name)).catch(() => undefined) : undefined;
      if (info?.isFile()) copies.push({ path: join(folder, name), savedAt: info.mtime });
    }
    copies.sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
    const newest = copies[0];
    if (newest === undefined) {
      await rm(folder, { recursive: true, force: true });
      continue;
    }
    sessions.push({
      sessionId,
      folder,
      recoveryPath: newest.path,
      pid: marker?.pid ?? null,
      startedAt: marker?.startedAt ?? null,
      projectId: marker?.projectId ?? null,
      projectPath: marker?.projectPath ?? null,
      savedAt: newest.savedAt,
    });
  }
  return sessions.sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
}

/** Deletes a recoverable session (after the user recovered it and saved, or chose to discard it). */
export async function discardRecoverableSession(settingsFolder: string, session: Pick<RecoverableSession, 'folder'>): Promise<void> {
  const inside = relative(resolve(recoveryFolderOf(settingsFolder)), resolve(session.folder));
  // The folder comes back from the renderer: only ever delete a direct child of the recovery folder.
  if (inside === '' || inside.startsWith('..') || inside.includes('/') || inside.includes('\\')) {
    throw new RangeError(`Expected a session folder inside the recovery folder for session but received ${session.folder}`);
  }
  await rm(session.folder, { recursive: true, force: true });
}
