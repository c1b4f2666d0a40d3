/**
 * Helpers for the batch tests: an engine with no models (classical tier: fast and deterministic), temporary
 * input/output folders, tiny generated pictures, and a check that no temporary file was left behind.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../../engine';
import { makeDiscImage } from '../../../testing/badInputs';

/** A workspace: `inDir` for inputs, `outDir` for outputs (not created), an engine without models. */
export interface BatchWorkspace {
  root: string;
  inDir: string;
  outDir: string;
  engine: Engine;
  remove(): Promise<void>;
}

/** Creates a {@link BatchWorkspace}. */
export async function makeWorkspace(): Promise<BatchWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'matte-batch-'));
  const inDir = join(root, 'in');
  await mkdir(inDir);
  await mkdir(join(root, 'no-models'));
  const engine = createEngine({ bundledDir: join(root, 'no-models'), userDir: join(root, 'no-models'), warn: () => {} });
  return {
    root,
    inDir,
    outDir: join(root, 'out'),
    engine,
    async remove() {
      await engine.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Writes small disc pictures (`.png` or `.jpg` by the name) into `folder`; returns their paths. */
export async function writePictures(folder: string, names: string[], width = 40, height = 32): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, name] of names.entries()) {
    const disc = await makeDiscImage(width + index * 2, height);
    const path = join(folder, name);
    await writeFile(path, name.endsWith('.jpg') ? await disc.jpeg().toBuffer() : await disc.png().toBuffer());
    paths.push(path);
  }
  return paths;
}

/** Writes a file that is not an image although its name says so. */
export async function writeBrokenPicture(folder: string, name = 'broken.png'): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, Buffer.from(Array.from({ length: 2048 }, (_, index) => (index * 7919 + 13) % 251)));
  return path;
}

/** Names in `folder`, sorted, hidden ones included (temporary files are hidden). */
export async function listFolder(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}
