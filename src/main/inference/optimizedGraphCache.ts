/**
 * onnxruntime's full graph optimisation (level `all`: fused operators and the CPU's blocked NCHWc layouts, worth 27 %
 * of inference time on IS-Net, see `mattingSession.ts`) runs at every session start: about 1.2 of its 2.6 s for the
 * bundled IS-Net fp32 on the 2-core VM. onnxruntime can save the graph it optimised and open that instead, so the first
 * CPU session of a model saves it in the user cache folder and later ones open it with optimisation off.
 *
 * The saved graph is only valid for what produced it: CPU layouts depend on the processor's vector width, and the
 * format on onnxruntime's version. Its name therefore carries a key of the onnxruntime version, the model file (path,
 * size, modification time, recorded sha256), the architecture and the processor model; a model or a machine that
 * changes gets a new file, and the old ones of that model are removed. A saved graph that fails to open is deleted and
 * the model opened as usual. Beside each saved graph lies a digest of its size and of blocks sampled through it: a
 * graph damaged on disk can still open and then make empty or wrong mattes (every run then fell back to the lighter
 * model, giving the damage as the model's fault), so one whose digest differs is deleted and saved again.
 * GPU providers always open the model itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, cpus } from 'node:os';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { makeFolder } from '../files/makeFolder';

/** Where a CPU session's graph came from. */
export type GraphSource = 'saved-optimized' | 'model';

/** The model file a graph is saved for. */
export interface GraphModel {
  id: string;
  path: string;
  sha256?: string;
}

/** The saved graph's file for `model` in `dir` (it may not exist yet). */
export async function savedGraphPath(dir: string, model: GraphModel): Promise<string> {
  const file = await stat(model.path);
  const key = createHash('sha256')
    .update(JSON.stringify([ort.env.versions.common, model.path, file.size, file.mtimeMs, model.sha256 ?? '', arch(), cpus()[0]?.model ?? '']))
    .digest('hex')
    .slice(0, 16);
  return join(dir, `${fileStem(model.id)}-${key}.onnx`);
}

/**
 * Opens a CPU session for `model` with `options` (which ask for full optimisation): from its saved optimised graph in
 * `dir` when there is one, else from the model, saving the optimised graph for next time. Without `dir` the model is
 * opened as usual. Errors opening the model itself propagate unchanged.
 */
export async function openCpuSession(model: GraphModel, options: ort.InferenceSession.SessionOptions, dir: string | undefined): Promise<{ session: ort.InferenceSession; source: GraphSource }> {
  if (dir === undefined) return { session: await ort.InferenceSession.create(model.path, options), source: 'model' };
  const saved = await savedGraphPath(dir, model);
  if ((await isFile(saved)) && !(await isIntact(saved))) await rm(saved, { force: true }); // saved again below
  if (await isFile(saved)) {
    try {
      return { session: await ort.InferenceSession.create(saved, { ...options, graphOptimizationLevel: 'disabled' }), source: 'saved-optimized' };
    } catch {
      await rm(saved, { force: true }); // damaged or unreadable: opened from the model below, and saved again
    }
  }
  const temporary = `${saved}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  const canSave = await makeFolder(dir).then(() => true, () => false);
  if (canSave) {
    try {
      const session = await ort.InferenceSession.create(model.path, { ...options, optimizedModelFilePath: temporary });
      await keepSaved(temporary, saved, dir, model.id);
      return { session, source: 'model' };
    } catch {
      await rm(temporary, { force: true });
      // Opened again without saving: a folder that cannot take the file must not stop matting, and an error that is
      // the model's own surfaces from this second try.
    }
  }
  return { session: await ort.InferenceSession.create(model.path, options), source: 'model' };
}

/** Moves a freshly saved graph into place and removes that model's graphs saved for another key. */
async function keepSaved(temporary: string, saved: string, dir: string, id: string): Promise<void> {
  try {
    // The digest first: a graph without one is never opened.
    await writeFile(digestPathOf(saved), await sampledDigest(temporary));
    await rename(temporary, saved);
  } catch {
    await rm(temporary, { force: true });
    return;
  }
  // Also left-over temporary files of this model (a process stopped while saving; one saving now just keeps none).
  const stem = `${fileStem(id)}-`;
  const others = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(stem) && name !== basename(saved) && name !== basename(digestPathOf(saved)) && /^[0-9a-f]{16}\.onnx(\..*\.tmp|\.digest)?$/.test(name.slice(stem.length)));
  await Promise.all(others.map((name) => rm(join(dir, name), { force: true })));
}

/** Bytes read at each sampled place, and the distance between places: ~45 reads of a 180 MB graph, a few ms. */
const sampleBytes = 64 * 1024;
const sampleStride = 4 * 1024 * 1024;

const digestPathOf = (saved: string) => `${saved}.digest`;

/** The size and a sha256 over blocks sampled through the file (and its last block), as hex. */
async function sampledDigest(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256').update(String(size));
    const buffer = Buffer.alloc(sampleBytes);
    const offsets = [];
    for (let offset = 0; offset < size; offset += sampleStride) offsets.push(offset);
    offsets.push(Math.max(0, size - sampleBytes));
    for (const offset of offsets) {
      const { bytesRead } = await handle.read(buffer, 0, sampleBytes, offset);
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** True when the saved graph still matches the digest written with it. */
async function isIntact(saved: string): Promise<boolean> {
  const recorded = await readFile(digestPathOf(saved), 'utf8').catch(() => undefined);
  if (recorded === undefined) return false;
  return (await sampledDigest(saved).catch(() => '')) === recorded.trim();
}

function fileStem(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}
