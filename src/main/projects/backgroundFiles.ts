/**
 * The "On picture" view's picture inside a project's sidecar folder, beside the hand-edit tiles. It is kept under its
 * content name (the engine's kept copy already has one), so a re-save with the same picture copies nothing, and the
 * JSON's switch decides which picture belongs to the project just as it does for tiles: written before the JSON,
 * unreferenced ones removed after it.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { backgroundFileNamePattern, type ProjectBackground } from '../../shared/projectFile';
import { pathExists, writeFileDurably } from './durableFiles';

/**
 * Puts the picture at `sourcePath` into the sidecar folder and returns its project entry; undefined when the source
 * is gone and the sidecar does not hold the same picture either (the save then goes on without it).
 */
export async function keepBackgroundInSidecar(sidecar: string, picture: { name: string; path: string }): Promise<ProjectBackground | undefined> {
  const file = basename(picture.path);
  if (!backgroundFileNamePattern.test(file)) return undefined;
  const target = join(sidecar, file);
  if (await pathExists(target)) return { name: picture.name, file };
  const bytes = await readFile(picture.path).catch(() => undefined);
  if (bytes === undefined) return undefined;
  await writeFileDurably(target, bytes);
  return { name: picture.name, file };
}

/** Removes background pictures the project no longer names (only files named like kept pictures are touched). */
export async function removeUnreferencedBackgrounds(sidecar: string, keep: string | undefined): Promise<void> {
  const names = await readdir(sidecar).catch(() => [] as string[]);
  for (const name of names) if (backgroundFileNamePattern.test(name) && name !== keep) await rm(join(sidecar, name), { force: true });
}

/** Where an opened project's picture is, looked for in each sidecar candidate; undefined when none holds it. */
export async function findBackgroundInSidecars(sidecars: readonly string[], picture: ProjectBackground): Promise<string | undefined> {
  for (const sidecar of sidecars) {
    const path = join(sidecar, picture.file);
    if (await pathExists(path)) return path;
  }
  return undefined;
}
