// The user model folder's own index, `models.json`: which `.onnx` files are installed, where they came from, their
// size and hash. It is persisted data, so it is validated on every read; a damaged index is set aside (never deleted,
// so a user or a bug report can still look at it) and rebuilt from the files by the store.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { modelIdSchema, modelSpecSchema } from '../../shared/modelTypes';
import { makeFolder } from '../files/makeFolder';

/** File name of the index inside the user model folder. */
export const userIndexFileName = 'models.json';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

const userIndexEntrySchema = z.object({
  id: modelIdSchema,
  /** Base name inside the user folder; never a path, so a tampered index cannot point outside it. */
  file: z.string().regex(/^[^/\\]+\.onnx$/i),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Schema.optional(),
  source: z.enum(['downloaded', 'custom']),
  url: z.string().optional(),
  addedAt: z.string(),
  /** The spec at install time; required for custom models, which have no catalogue entry. */
  spec: modelSpecSchema.optional(),
});

const userIndexSchema = z.object({ version: z.literal(1), models: z.array(userIndexEntrySchema) });

/** One installed model in the user folder. */
export type UserIndexEntry = z.output<typeof userIndexEntrySchema>;

/** The parsed `models.json`. */
export type UserIndex = z.output<typeof userIndexSchema>;

/** An empty index, the safe default. */
export function emptyUserIndex(): UserIndex {
  return { version: 1, models: [] };
}

/** What {@link readUserIndex} found. */
export interface UserIndexRead {
  index: UserIndex;
  /** True when the file existed but could not be used; the caller rebuilds from the files. */
  damaged: boolean;
}

/**
 * Reads and validates the index. A missing file is an empty index; an unreadable, unparsable or invalid one gives a
 * warning, is renamed to `models.json.bad-<timestamp>` and reads as empty with `damaged: true`.
 */
export async function readUserIndex(userDir: string, warn: (message: string) => void, now: () => Date = () => new Date()): Promise<UserIndexRead> {
  const path = join(userDir, userIndexFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { index: emptyUserIndex(), damaged: false };
    throw error;
  }
  let problem: string;
  try {
    const parsed = userIndexSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { index: parsed.data, damaged: false };
    problem = z.prettifyError(parsed.error);
  } catch (error) {
    problem = (error as Error).message;
  }
  const asidePath = `${path}.bad-${now().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, asidePath);
  warn(`The model index ${path} was damaged and has been rebuilt from the model files; the old one is kept as ${asidePath}. (${problem})`);
  return { index: emptyUserIndex(), damaged: true };
}

/** Writes the index atomically: a crash mid-write leaves the previous index, never half of one. */
export async function writeUserIndex(userDir: string, index: UserIndex): Promise<void> {
  await makeFolder(userDir);
  const path = join(userDir, userIndexFileName);
  const temporaryPath = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(temporaryPath, JSON.stringify(userIndexSchema.parse(index), null, 2) + '\n');
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}

/** Lower-case hex sha256 of a file, streamed so a 1 GB model never sits in memory. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
