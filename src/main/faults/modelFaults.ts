/**
 * Fault-suite rows for the model and its execution provider (issue 9): a GPU provider that cannot start (its libraries
 * are missing, as after an offline install) leaves the session on the CPU with the reason; a model file with one
 * flipped byte fails its sha256 check and the next tier mattes, saying why, with the file left as it was.
 * Registered by `faults.test.ts` into its table; needs the bundled model (skips locally without it, fails in CI).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image8 } from '../../core/imageTypes';
import type { InstalledModel } from '../../shared/modelTypes';
import { hasCudaProviderLibraries, type ExecutionProviderId } from '../inference/executionProviders';
import { resetFailedProviders, toRunnableModel } from '../inference/mattingSession';
import { SessionCache } from '../inference/sessionCache';
import { findCatalogModel } from '../models/modelCatalog';
import { provenanceOf } from '../matteCache/matteCache';
import { computeMatte } from '../pipeline/computeMatte';
import { bundledModelsDir, hasBundledModels } from '../testing/fixtures';
import type { FaultTable } from './faultTable';

/** A GPU provider this machine cannot start: CUDA where its libraries are absent (offline installs, CI), else one of another platform. */
const missingGpuProvider: ExecutionProviderId = !hasCudaProviderLibraries() ? 'cuda' : process.platform === 'win32' ? 'coreml' : 'dml';

const sha256Of = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

/** Registers the model cases. */
export function describeModelFaults(table: FaultTable): void {
  describe.skipIf(!hasBundledModels)('fault suite: models and execution providers', () => {
    // The damaged copy lives outside the workspace: hashing 44 MB in every later case's snapshot would cost seconds.
    let folder: string;
    let intact: InstalledModel;
    let damaged: InstalledModel;
    let damagedSha256: string;
    let sessions: SessionCache;

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'fault-models-'));
      const manifest = JSON.parse(await readFile(join(bundledModelsDir, 'manifest.json'), 'utf8')) as { models: Array<{ id: string; bytes: number; sha256: string }> };
      const entry = manifest.models.find((model) => model.id === 'isnet-quint8')!;
      intact = { spec: findCatalogModel('isnet-quint8')!, source: 'bundled', path: join(bundledModelsDir, 'isnet-quint8.onnx'), bytes: entry.bytes, sha256: entry.sha256 };
      // A downloaded copy with one flipped byte in the weights: same size and date, so only the checksum can tell.
      const damagedPath = join(folder, 'isnet-quint8.onnx');
      await copyFile(intact.path, damagedPath);
      const handle = await open(damagedPath, 'r+');
      try {
        const position = Math.floor(entry.bytes / 2);
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, position);
        byte[0] = byte[0]! ^ 0x10;
        await handle.write(byte, 0, 1, position);
      } finally {
        await handle.close();
      }
      damaged = { ...intact, source: 'downloaded', path: damagedPath };
      damagedSha256 = await sha256Of(damagedPath);
      // The providers a GPU machine would try: the GPU one first, then the CPU.
      sessions = new SessionCache({ providers: [missingGpuProvider, 'cpu'], threads: 2, verifiedHashesFile: join(folder, 'verified.json') });
    });

    afterAll(async () => {
      await sessions?.dispose();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it('GPU execution provider missing: the session falls back to the CPU and says why', async () => {
      // This process may have met the failure before; the first session must meet it itself.
      resetFailedProviders();
      const row = await table.runCase(`GPU execution provider missing (${missingGpuProvider})`, async () => {
        const session = await sessions.get(toRunnableModel(intact));
        expect(session.provider).toBe('cpu');
        expect(session.providerFallbackReasons).toEqual([expect.stringMatching(new RegExp(`^${missingGpuProvider} could not start \\(.+\\); running on cpu$`))]);
        // The matte says so too: the studio shows it beside the model, batches and the CLI list it as a note.
        const image: Image8 = { width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3).fill(128) };
        const result = await computeMatte(image, { best: intact }, sessions, {}, undefined, { skipQualityCheck: true });
        expect(result).toMatchObject({ tier: 1, ep: 'cpu', fallbackReasons: [], providerNotes: session.providerFallbackReasons });
        expect(provenanceOf(result).providerNotes).toEqual(session.providerFallbackReasons);
        return `ep cpu, reason: ${session.providerFallbackReasons[0]}`;
      });
      expect(row.lost).toBe(0);
    });

    it('corrupt model (one flipped byte): the next tier mattes, with the reason; the file is left as it was', async () => {
      const row = await table.runCase('corrupt model (flipped byte)', async () => {
        const image: Image8 = { width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3).fill(128) };
        const result = await computeMatte(image, { best: damaged, lighter: intact }, sessions, {}, undefined, { skipQualityCheck: true });
        expect(result).toMatchObject({ tier: 2, model: 'isnet-quint8', ep: 'cpu' });
        expect(result.fallbackReasons).toEqual(['tier 1 (isnet-quint8): The model file for isnet-quint8 is damaged; install it again with “matte-studio models install isnet-quint8”.']);
        // The damaged file is the user's download: reported, never deleted or "repaired" behind their back.
        const isKept = (await sha256Of(damaged.path)) === damagedSha256;
        return { seen: `tier 2 (${result.model}, ${result.ep}); ${result.fallbackReasons[0]}`, extraLost: isKept ? 0 : 1 };
      });
      expect(row.lost).toBe(0);
    });
  });
}
