// Checks a model file against the sha256 recorded when it was installed, before onnxruntime opens it: a damaged file
// then fails its tier with a plain reason instead of a parser error or, worse, a subtly wrong matte.
// Hashing IS-Net fp32 (176 MB) takes about half a second, so a verified digest is remembered by path, size and mtime:
// in memory for this process and in a small JSON file (the user model folder by default) for the next runs.
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../shared/errors';
import type { ModelSource } from '../../shared/modelTypes';
import { defaultUserModelsDir } from './modelStore';
import { hashFile } from './userModelIndex';
import { makeFolder } from '../files/makeFolder';

/** What is checked and how to say that it failed. */
export interface ModelFileIdentity {
  id: string;
  path: string;
  /** Lower-case hex sha256 recorded at install time. */
  sha256: string;
  /** Where the file came from: decides the repair advice in the error. */
  source?: ModelSource;
}

/** Where verified digests are remembered between runs. */
export interface VerifyModelFileOptions {
  /** JSON file of verified digests; @default `<user model folder>/.verified-sha256.json` */
  cacheFile?: string;
}

const cacheSchema = z.object({
  version: z.literal(1),
  files: z.record(z.string(), z.object({ bytes: z.number(), mtimeMs: z.number(), sha256: z.string() })),
});
type VerifiedCache = z.output<typeof cacheSchema>;

/** Digests computed in this process, by `path:size:mtime`. */
const computed = new Map<string, string>();

/** The default place of the digest cache. */
export function defaultVerifiedHashesFile(): string {
  return join(defaultUserModelsDir(), '.verified-sha256.json');
}

/**
 * Resolves when the file's sha256 equals the recorded one; otherwise throws `MODEL_INVALID` with a sentence that says
 * how to repair it. The digest is computed at most once per path, size and mtime (remembered across runs).
 */
export async function verifyModelFile(model: ModelFileIdentity, options: VerifyModelFileOptions = {}): Promise<void> {
  const info = await stat(model.path).catch(() => undefined);
  if (!info?.isFile()) throw new StudioError('MODEL_MISSING', `The model file for ${model.id} is missing.`, model.path);
  const key = `${model.path}:${info.size}:${info.mtimeMs}`;
  const cacheFile = options.cacheFile ?? defaultVerifiedHashesFile();
  let digest = computed.get(key);
  if (!digest) {
    const cache = await readCache(cacheFile);
    const remembered = cache.files[model.path];
    if (remembered && remembered.bytes === info.size && remembered.mtimeMs === info.mtimeMs) digest = remembered.sha256;
    else {
      digest = await hashFile(model.path);
      cache.files[model.path] = { bytes: info.size, mtimeMs: info.mtimeMs, sha256: digest };
      await writeCache(cacheFile, cache);
    }
    computed.set(key, digest);
  }
  if (digest !== model.sha256.toLowerCase()) {
    throw new StudioError('MODEL_INVALID', damagedMessage(model), `${model.path}: sha256 ${digest}, expected ${model.sha256}`);
  }
}

function damagedMessage(model: ModelFileIdentity): string {
  if (model.source === 'bundled') return `The bundled model file ${basename(model.path)} is damaged; run “npm run provision-models”.`;
  if (model.source === 'downloaded') return `The model file for ${model.id} is damaged; install it again with “matte-studio models install ${model.id}”.`;
  return `The model file for ${model.id} has changed since it was added; add it again.`;
}

async function readCache(cacheFile: string): Promise<VerifiedCache> {
  try {
    return cacheSchema.parse(JSON.parse(await readFile(cacheFile, 'utf8')));
  } catch {
    // Missing or damaged: it is only a cache, so start again.
    return { version: 1, files: {} };
  }
}

async function writeCache(cacheFile: string, cache: VerifiedCache): Promise<void> {
  try {
    await makeFolder(dirname(cacheFile));
    const temporary = `${cacheFile}.${randomBytes(4).toString('hex')}.partial`;
    await writeFile(temporary, JSON.stringify(cache));
    await rename(temporary, cacheFile);
  } catch {
    // A read-only home only costs a re-hash next run.
  }
}

/** Test hook: forget the digests computed in this process. */
export function forgetVerifiedDigests(): void {
  computed.clear();
}
