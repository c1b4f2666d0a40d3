/**
 * The rows of the Models panel: every catalogue model (installed or not) and every model the user dropped into the
 * model folder, with what the panel shows — size, whether it can be removed, a partial download waiting for a resume,
 * the install running now.
 */
import { stat } from 'node:fs/promises';
import type { ModelEntry } from '../../shared/contract/modelMethods';
import type { InstalledModel, ModelSpec } from '../../shared/modelTypes';
import { partialPathOf } from '../models/downloadModel';
import type { ModelStore } from '../models/modelStore';

/** Bytes of the `.part` file a cancelled or broken download of `id` left (0: none). */
export async function partialDownloadBytes(store: ModelStore, id: string): Promise<number> {
  try {
    const info = await stat(partialPathOf(store.userModelPath(id)));
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

/** One row for an installed model. */
function installedEntry(model: InstalledModel, installJobId: string | null): ModelEntry {
  return { spec: model.spec, state: 'installed', source: model.source, sizeBytes: model.bytes, isSizeExact: true, partialBytes: 0, canRemove: model.source !== 'bundled', installJobId };
}

/** One row for a catalogue model whose file is not here. */
function missingEntry(spec: ModelSpec, partialBytes: number, installJobId: string | null): ModelEntry {
  const exactBytes = spec.download ? spec.download.sizeBytes : spec.bundled ? spec.sizeBytes : undefined;
  return {
    spec,
    state: spec.download ? 'available' : 'unavailable',
    source: null,
    sizeBytes: exactBytes ?? spec.sizeBytes,
    isSizeExact: exactBytes !== undefined,
    partialBytes,
    // A partial download can be discarded like a model.
    canRemove: partialBytes > 0,
    installJobId,
  };
}

const byTier = (a: ModelEntry, b: ModelEntry) => b.spec.tier - a.spec.tier || a.spec.name.localeCompare(b.spec.name);

/**
 * Every model the panel lists: catalogue models best first, then the user's own (custom) models by name.
 * @param installJobs The running installs: model id → job id.
 */
export async function listModelEntries(store: ModelStore, installJobs: ReadonlyMap<string, string>): Promise<ModelEntry[]> {
  const { installed } = await store.listModels();
  const installedById = new Map(installed.map((model) => [model.spec.id, model]));
  const catalogue = await Promise.all(
    store.knownModels.map(async (spec) => {
      const jobId = installJobs.get(spec.id) ?? null;
      const model = installedById.get(spec.id);
      return model ? installedEntry(model, jobId) : missingEntry(spec, spec.download ? await partialDownloadBytes(store, spec.id) : 0, jobId);
    }),
  );
  const known = new Set(store.knownModels.map((spec) => spec.id));
  const custom = installed.filter((model) => !known.has(model.spec.id)).map((model) => installedEntry(model, null));
  return [...catalogue.sort(byTier), ...custom.sort((a, b) => a.spec.name.localeCompare(b.spec.name))];
}
