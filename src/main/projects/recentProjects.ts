/**
 * The recent-projects list, `recentProjects.json` in the settings folder: newest first, at most
 * {@link maximumRecentProjects}, one entry per path. It is persisted data, so it is read through zod: a damaged file
 * gives an empty list and a warning, and is moved aside as `.bad-<time>` so the next write starts clean.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ensureFolder, keepAside, readTextIfPresent, writeJsonDurably } from './durableFiles';

/** Longest list kept. */
export const maximumRecentProjects = 10;

const recentProjectSchema = z.object({
  path: z.string().min(1).max(4096),
  /** ISO time the project was last opened or saved. */
  openedAt: z.iso.datetime({ offset: true }),
});
/** One entry of the recent list. */
export type RecentProject = z.output<typeof recentProjectSchema>;

const recentFileSchema = z.object({
  version: z.literal(1),
  projects: z.array(recentProjectSchema).max(maximumRecentProjects),
});

const fileName = 'recentProjects.json';
const queues = new Map<string, Promise<unknown>>();

/** Read-modify-write of one folder's list runs one at a time, so two quick opens cannot drop each other's entry. */
function serialize<T>(folder: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(folder) ?? Promise.resolve()).then(task, task);
  queues.set(
    folder,
    run.catch(() => {}),
  );
  return run;
}

/** Reads the list; damaged → `[]` plus a warning, the file kept aside. */
export async function loadRecentProjects(settingsFolder: string): Promise<{ projects: RecentProject[]; warnings: string[] }> {
  const path = join(settingsFolder, fileName);
  const text = await readTextIfPresent(path);
  if (text === undefined) return { projects: [], warnings: [] };
  let problem: string;
  try {
    const parsed = recentFileSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { projects: parsed.data.projects, warnings: [] };
    problem = parsed.error.issues[0]?.message ?? 'invalid';
  } catch {
    // V8's parse errors quote the text around the fault: the warning says what, never the file's content.
    problem = 'it is not valid JSON';
  }
  const aside = await keepAside(path, 'move');
  return { projects: [], warnings: [`The recent projects list was damaged and was cleared (kept as ${aside}): ${problem.slice(0, 200)}`] };
}

async function write(settingsFolder: string, projects: RecentProject[]): Promise<void> {
  await ensureFolder(settingsFolder);
  await writeJsonDurably(join(settingsFolder, fileName), recentFileSchema.parse({ version: 1, projects }));
}

/** Moves `projectPath` to the top of the list (adding it), trimming to the maximum. Returns the new list. */
export function addRecentProject(settingsFolder: string, projectPath: string, now = new Date()): Promise<RecentProject[]> {
  return serialize(settingsFolder, async () => {
    const path = resolve(projectPath);
    const { projects } = await loadRecentProjects(settingsFolder);
    const next = [{ path, openedAt: now.toISOString() }, ...projects.filter((entry) => entry.path !== path)].slice(0, maximumRecentProjects);
    await write(settingsFolder, next);
    return next;
  });
}

/** Removes a path (e.g. the studio found it missing). Returns the new list. */
export function removeRecentProject(settingsFolder: string, projectPath: string): Promise<RecentProject[]> {
  return serialize(settingsFolder, async () => {
    const path = resolve(projectPath);
    const { projects } = await loadRecentProjects(settingsFolder);
    const next = projects.filter((entry) => entry.path !== path);
    if (next.length !== projects.length) await write(settingsFolder, next);
    return next;
  });
}
