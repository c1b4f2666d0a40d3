// Finds installed models in two places: the bundled folder shipped with the app (read-only, described by the
// provisioning script's manifest.json) and the user's model folder (downloads and dropped-in `.onnx` files, described
// by its own models.json). Every listing reconciles the user index with the files, so a dropped-in model appears and a
// deleted one disappears without any other bookkeeping.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../shared/errors';
import { type InstalledModel, type ModelListing, type ModelSpec, type Normalization, normalizationSchema } from '../../shared/modelTypes';
import { haveSameWeights, modelCatalog } from './modelCatalog';
import { modelDownloadUrl } from './modelMirror';
import { customModelId, recognizeCustomModel, type RecognizeCustomModelOptions } from './recognizeCustomModel';
import { hashFile, readUserIndex, userIndexFileName, writeUserIndex, type UserIndex, type UserIndexEntry } from './userModelIndex';
import { readEnvironment } from '../environment';

/** Bundled folder when nothing else is said: `$MATTE_STUDIO_BUNDLED_MODELS_DIR`, else `<app root>/resources/models`. */
export function defaultBundledModelsDir(): string {
  return readEnvironment().bundledModelsDir;
}

/** User folder when nothing else is said: `$MATTE_STUDIO_MODELS_DIR`, else `~/.matte-studio/models`. */
export function defaultUserModelsDir(): string {
  return readEnvironment().modelsDir;
}

/** Where the store looks and how it reports. */
export interface ModelStoreOptions {
  /** The packaged Electron shell passes its resources path here. */
  bundledDir?: string;
  userDir?: string;
  /** Known models; the built-in catalogue unless a test says otherwise. */
  catalog?: readonly ModelSpec[];
  /** Receives a sentence for damaged data that was worked around; defaults to `console.warn`. */
  warn?: (message: string) => void;
  /**
   * Base address catalogue models are downloaded from instead of their publishers (`<mirror>/<id>.onnx`); null for
   * none. @default `MATTE_STUDIO_MODEL_MIRROR`
   */
  mirror?: string | null;
  /** Reads a custom model's declared inputs and outputs (the engine passes its inference worker's). */
  readShapes?: RecognizeCustomModelOptions['readShapes'];
}

/** The best installed model and the lighter fallback to try when the best one fails or is too slow. */
export interface ModelTiers {
  best?: InstalledModel;
  lighter?: InstalledModel;
  /** Why the model asked for is not `best`, in plain words (it is not installed); absent when it is, or none was asked. */
  missingPreferred?: string;
}

const bundledManifestSchema = z.object({
  version: z.literal(1),
  models: z.array(z.object({ id: z.string(), file: z.string().regex(/^[^/\\]+$/), bytes: z.number().int().nonnegative(), sha256: z.string().optional() })),
});

/** Locates, lists and picks matting models. One instance per process is enough; index writes are serialised. */
export class ModelStore {
  readonly bundledDir: string;
  readonly userDir: string;
  private readonly catalog: readonly ModelSpec[];
  private readonly mirror: string | null;
  private readonly warn: (message: string) => void;
  private readonly readShapes: RecognizeCustomModelOptions['readShapes'];
  private queue: Promise<unknown> = Promise.resolve();
  /** Files that failed recognition, by path + size + mtime, so a broken file is not reopened on every listing. */
  private readonly rejectedFiles = new Set<string>();

  constructor(options: ModelStoreOptions = {}) {
    this.bundledDir = options.bundledDir ?? defaultBundledModelsDir();
    this.userDir = options.userDir ?? defaultUserModelsDir();
    this.catalog = options.catalog ?? modelCatalog;
    this.mirror = options.mirror === undefined ? (readEnvironment().modelMirror ?? null) : options.mirror;
    this.warn = options.warn ?? ((message) => console.warn(message));
    this.readShapes = options.readShapes;
  }

  /** Path a downloaded catalogue model gets in the user folder. */
  userModelPath(id: string): string {
    return join(this.userDir, `${id}.onnx`);
  }

  /** Every model of the catalogue this store knows (the built-in one unless a test said otherwise). */
  get knownModels(): readonly ModelSpec[] {
    return this.catalog;
  }

  /** The catalogue entry with this id, if any. */
  findKnownModel(id: string): ModelSpec | undefined {
    return this.catalog.find((spec) => spec.id === id);
  }

  /** Where `spec` is downloaded from: the mirror when one is set, else its publisher (undefined: not downloadable). */
  downloadUrl(spec: ModelSpec): string | undefined {
    return modelDownloadUrl(spec, this.mirror);
  }

  /** Installed models (bundled first, then the user folder) and catalogue models that can still be downloaded. */
  async listModels(): Promise<ModelListing> {
    const installed = [...(await this.listBundled()), ...(await this.exclusive(() => this.reconcileUserFolder()))];
    const installedIds = new Set(installed.map((model) => model.spec.id));
    const available = this.catalog.filter((spec) => spec.download && !installedIds.has(spec.id));
    return { installed, available };
  }

  /** The installed model with this id; `MODEL_MISSING` when it is not installed. */
  async resolveModel(id: string): Promise<InstalledModel> {
    const model = (await this.listModels()).installed.find((candidate) => candidate.spec.id === id);
    if (model) return model;
    const known = this.catalog.find((spec) => spec.id === id);
    const hint = known?.download ? ` Install it with “matte-studio models install ${id}”.` : '';
    throw new StudioError('MODEL_MISSING', `The model “${known?.name ?? id}” is not installed.${hint}`, `no installed model with id ${id}`);
  }

  /**
   * `best`: the preferred model when it is installed, else the highest-ranked installed catalogue model (custom models
   * are only used when chosen). `lighter`: the highest-ranked installed catalogue model ranked below `best`, in a
   * different file and not a re-encoding of the same weights (isnet-fp32 falls back to isnet-quint8, not to the fp16
   * file it was derived from); for a custom `best`, the highest-ranked catalogue model smaller on disk. A preferred
   * model that is not installed (removed since it was chosen, say) is said in `missingPreferred`, so the result's
   * fallback reasons tell the artist that another model made the matte.
   */
  async pickTiers(preferredId?: string): Promise<ModelTiers> {
    const { installed } = await this.listModels();
    const ranked = installed.filter((model) => model.spec.family !== 'custom').sort((a, b) => b.spec.tier - a.spec.tier || b.bytes - a.bytes);
    const preferred = preferredId ? installed.find((model) => model.spec.id === preferredId) : undefined;
    const missing = preferredId && !preferred ? { missingPreferred: `the chosen model “${this.findKnownModel(preferredId)?.name ?? preferredId}” is not installed` } : {};
    const best = preferred ?? ranked[0];
    if (!best) return missing;
    const isLighter = best.spec.family === 'custom'
      ? (model: InstalledModel) => model.bytes < best.bytes
      : (model: InstalledModel) => model.spec.tier < best.spec.tier;
    const lighter = ranked.find((model) => model.path !== best.path && isLighter(model) && !haveSameWeights(model.spec.id, best.spec.id));
    return { best, ...(lighter ? { lighter } : {}), ...missing };
  }

  /** Records a finished download in the user index (the file is already at {@link userModelPath}). */
  async registerDownload(spec: ModelSpec, details: { bytes: number; sha256: string; url: string }): Promise<InstalledModel> {
    const entry: UserIndexEntry = { id: spec.id, file: `${spec.id}.onnx`, bytes: details.bytes, sha256: details.sha256, source: 'downloaded', url: details.url, addedAt: new Date().toISOString(), spec };
    await this.updateIndex((index) => ({ ...index, models: [...index.models.filter((model) => model.id !== spec.id), entry] }));
    return this.toInstalled(entry) ?? { spec, source: 'downloaded', path: this.userModelPath(spec.id), bytes: details.bytes, sha256: details.sha256 };
  }

  /**
   * Deletes a model the user installed (downloaded or dropped in) and its index entry; resolves with the bytes freed.
   * Bundled models live in the app's own folder and are never touched: `INVALID_INPUT`. Not installed: `MODEL_MISSING`.
   */
  async removeUserModel(id: string): Promise<number> {
    const model = (await this.listModels()).installed.find((candidate) => candidate.spec.id === id);
    if (!model) throw new StudioError('MODEL_MISSING', `The model “${this.findKnownModel(id)?.name ?? id}” is not installed.`, `no installed model with id ${id}`);
    if (model.source === 'bundled') throw new StudioError('INVALID_INPUT', `${model.spec.name} ships with Matte Studio and cannot be removed.`, `model ${id} is bundled`);
    return this.exclusive(async () => {
      try {
        await rm(model.path, { force: true });
      } catch (error) {
        throw new StudioError('OUTPUT_UNWRITABLE', `Could not remove ${model.spec.name}: its file in ${this.userDir} could not be deleted.`, (error as Error).message, { cause: error });
      }
      const { index } = await readUserIndex(this.userDir, this.warn);
      await writeUserIndex(this.userDir, { ...index, models: index.models.filter((entry) => entry.id !== id) });
      return model.bytes;
    });
  }

  /** Persists the user's choice of normalisation for a custom model and marks it as no longer a guess. */
  async setCustomNormalization(id: string, normalization: Normalization): Promise<ModelSpec> {
    const checked = normalizationSchema.parse(normalization);
    await this.listModels();
    let updated: ModelSpec | undefined;
    await this.updateIndex((index) => ({
      ...index,
      models: index.models.map((entry) => {
        if (entry.id !== id) return entry;
        if (entry.source !== 'custom' || !entry.spec) throw new StudioError('INVALID_INPUT', 'Only a custom model’s normalisation can be changed.', `model ${id} is ${entry.source}`);
        updated = { ...entry.spec, normalization: checked, normalizationInferred: true };
        return { ...entry, spec: updated };
      }),
    }));
    if (!updated) throw new StudioError('MODEL_MISSING', 'That custom model is no longer in the model folder.', `no custom model with id ${id}`);
    return updated;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private updateIndex(change: (index: UserIndex) => UserIndex): Promise<void> {
    return this.exclusive(async () => {
      const { index } = await readUserIndex(this.userDir, this.warn);
      await writeUserIndex(this.userDir, change(index));
    });
  }

  private async listBundled(): Promise<InstalledModel[]> {
    let manifest: z.output<typeof bundledManifestSchema>;
    try {
      manifest = bundledManifestSchema.parse(JSON.parse(await readFile(join(this.bundledDir, 'manifest.json'), 'utf8')));
    } catch (error) {
      // No manifest is a normal install with MATTE_STUDIO_SKIP_MODELS=1; anything else deserves a warning.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`Ignoring the bundled model manifest in ${this.bundledDir}: ${(error as Error).message}`);
      return [];
    }
    const models: InstalledModel[] = [];
    for (const entry of manifest.models) {
      const spec = this.catalog.find((candidate) => candidate.id === entry.id && candidate.bundled);
      const path = join(this.bundledDir, entry.file);
      const bytes = await fileSize(path);
      if (!spec) continue;
      if (bytes !== entry.bytes) {
        this.warn(`The bundled model ${path} is ${bytes === undefined ? 'missing' : `${bytes} bytes, expected ${entry.bytes}`}; run “npm run provision-models”.`);
        continue;
      }
      models.push({ spec, source: 'bundled', path, bytes, ...(entry.sha256 ? { sha256: entry.sha256 } : {}) });
    }
    return models;
  }

  /** Drops index entries whose file is gone or changed, registers `.onnx` files the index does not know, saves. */
  private async reconcileUserFolder(): Promise<InstalledModel[]> {
    const { index, damaged } = await readUserIndex(this.userDir, this.warn);
    const files = await listOnnxFiles(this.userDir);
    const kept: UserIndexEntry[] = [];
    for (const entry of index.models) {
      const bytes = files.has(entry.file) ? await fileSize(join(this.userDir, entry.file)) : undefined;
      if (bytes === entry.bytes) kept.push(entry);
      else if (bytes !== undefined) this.warn(`${entry.file} changed size since it was installed; checking it again.`);
    }
    const known = new Set(kept.map((entry) => entry.file));
    const added: UserIndexEntry[] = [];
    for (const file of [...files].sort()) {
      if (known.has(file)) continue;
      const entry = await this.registerFile(file, new Set([...kept, ...added].map((model) => model.id)));
      if (entry) added.push(entry);
    }
    const models = [...kept, ...added];
    if (damaged || added.length > 0 || kept.length !== index.models.length) await writeUserIndex(this.userDir, { version: 1, models });
    return models.flatMap((entry) => this.toInstalled(entry) ?? []);
  }

  /** Builds an index entry for a file found in the folder: a catalogue model when named `<id>.onnx`, else custom. */
  private async registerFile(file: string, takenIds: Set<string>): Promise<UserIndexEntry | undefined> {
    const path = join(this.userDir, file);
    const info = await stat(path);
    const key = `${path}:${info.size}:${info.mtimeMs}`;
    if (this.rejectedFiles.has(key)) return undefined;
    const addedAt = new Date().toISOString();
    const spec = this.catalog.find((candidate) => `${candidate.id}.onnx` === file && !candidate.bundled);
    if (spec) {
      const sha256 = await hashFile(path);
      if (!spec.download?.sha256 || spec.download.sha256 === sha256) return { id: spec.id, file, bytes: info.size, sha256, source: 'downloaded', addedAt, spec };
      this.warn(`${file} is not the published ${spec.name} (its checksum differs); treating it as a custom model.`);
    }
    let id = customModelId(file);
    for (let suffix = 2; takenIds.has(id) || this.catalog.some((candidate) => candidate.id === id); suffix++) id = `${customModelId(file)}-${suffix}`;
    try {
      const customSpec = await recognizeCustomModel(path, { id, warn: this.warn, ...(this.readShapes ? { readShapes: this.readShapes } : {}) });
      return { id, file, bytes: info.size, source: 'custom', addedAt, spec: customSpec };
    } catch (error) {
      this.rejectedFiles.add(key);
      this.warn(`Skipping ${file} in ${this.userDir}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private toInstalled(entry: UserIndexEntry): InstalledModel | undefined {
    // A downloaded model follows the current catalogue (fixes to its pre-processing apply); a custom one keeps its own.
    const spec = (entry.source === 'downloaded' ? this.catalog.find((candidate) => candidate.id === entry.id) : undefined) ?? entry.spec;
    if (!spec) {
      this.warn(`Ignoring “${entry.id}” in ${join(this.userDir, userIndexFileName)}: it has no model description.`);
      return undefined;
    }
    return { spec, source: entry.source, path: join(this.userDir, entry.file), bytes: entry.bytes, ...(entry.sha256 ? { sha256: entry.sha256 } : {}) };
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

async function listOnnxFiles(dir: string): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Set(entries.filter((entry) => entry.isFile() && /\.onnx$/i.test(entry.name)).map((entry) => entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}
