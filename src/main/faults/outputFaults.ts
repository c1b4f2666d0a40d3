/**
 * Fault-suite rows for what can go wrong while writing (issue 9): an export or batch aimed outside the folders the
 * user chose, ffmpeg dying in the middle of an export (EPIPE on its stdin; its output pipe closing), a full disk in a
 * batch, and SIGKILL in the middle of a project save. Registered by `faults.test.ts` into its table.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { createEngine, type Engine } from '../engine';
import { WriteScope } from '../files/writeScope';
import { createStudioHarness } from '../handlers/testing/studioHarness';
import { hasFfmpeg, makeTestClip } from '../media/testing/mediaTestKit';
import { runBatch } from '../pipeline/batch/runBatch';
import { openProject } from '../projects/projectStore';
import { killSaveLoop } from '../projects/testing/killSaveLoop';
import { describeDocumentMismatch, describeTileMismatch, makeVersion, testMediaNames, versionOf } from '../projects/testing/projectVersions';
import { makeDiscImage } from '../testing/badInputs';
import { canListChildProcesses, killChildWhenItAppears } from '../testing/childProcesses';
import { failureOf, type FaultTable } from './faultTable';

/** Hidden temporary names our writers use: none may be left after a failed export. */
const leftovers = async (folder: string) => (await readdir(folder)).filter((name) => name.startsWith('.'));
const isFfmpeg = (argv: string[]) => basename(argv[0] ?? '').startsWith('ffmpeg');

/** Registers the output and crash cases. */
export function describeOutputFaults(table: FaultTable): void {
  describe('fault suite: outputs and crashes', () => {
    let engine: Engine;
    beforeAll(() => {
      // No models: the classical tier keeps these cases fast, and they are about writing, not matting.
      engine = createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user'), warn: () => {} });
    });
    afterAll(() => engine?.dispose());

    it('Export and Batch Export outside the folders the user chose (strict scope, as in Electron): refused, nothing written', async () => {
      const photos = await table.folderOf('scope-photos');
      await (await makeDiscImage(40, 32)).png().toFile(join(photos, 'portrait.png'));
      const unchosen = join(table.workspace, 'scope-unchosen');
      const harness = createStudioHarness({ models: false, writeScope: new WriteScope(true) });
      try {
        const row = await table.runCase('export / batch outside the write scope', async () => {
          const [item] = (await harness.api.openPaths({ paths: [join(photos, 'portrait.png')] })).items;
          const exported = await failureOf(harness.api.exportItem({ jobId: 'f1', itemId: item!.id, format: 'png', outputDir: unchosen, settings: refinementSettingsSchema.parse({}) }));
          const batched = await failureOf(harness.api.runBatch({ jobId: 'f2', inputs: [photos], outDir: join(photos, 'out'), formats: ['png'] }));
          expect([exported, batched].every((seen) => seen.startsWith('OUTPUT_UNWRITABLE'))).toBe(true);
          expect(existsSync(unchosen) || existsSync(join(photos, 'out'))).toBe(false);
          return `${exported} (batch: the same, before anything is written)`;
        });
        expect(row.lost).toBe(0);
      } finally {
        await harness.dispose();
      }
    });

    it.skipIf(!existsSync('/dev/full'))('disk full during a batch: the batch stops and says what was written; nothing partial', async () => {
      const inputs = await table.folderOf('disk-full-in');
      for (const name of ['a.png', 'b.png']) await (await makeDiscImage(40, 32)).png().toFile(join(inputs, name));
      const out = await table.folderOf('disk-full-out');
      // Writing through this link hits ENOSPC, as a full disk does.
      await symlink('/dev/full', join(out, 'a.webp'));
      const row = await table.runCase('disk full during a batch', async () => {
        const outcome = await runBatch(engine, { inputs: [inputs], outDir: out, formats: ['png', 'webp'], overwrite: 'overwrite' });
        expect(outcome.items[0]!.failed.map((failure) => failure.error.code)).toEqual(['DISK_FULL']);
        expect(outcome.items[1]).toMatchObject({ outputs: [], failed: [{ error: { code: 'DISK_FULL' } }] });
        expect(await leftovers(out)).toEqual([]);
        expect(outcome.stoppedReason).toMatch(/disk is full/);
        return `DISK_FULL: ${outcome.stoppedReason} (${outcome.written} written)`;
      });
      expect(row.lost).toBe(0);
    });

    describe.skipIf(!hasFfmpeg || !canListChildProcesses)('EPIPE: ffmpeg dies in the middle of a clip export', () => {
      let clip: string;
      let out: string;
      beforeAll(async () => {
        const clips = await table.folderOf('epipe-clips');
        clip = await makeTestClip(join(clips, 'talk.mp4'), { width: 160, height: 120, frames: 40 });
        out = await table.folderOf('epipe-out');
        // An earlier export under the name this one takes: a failed export must leave it as it was.
        await writeFile(join(out, 'talk_matte.mp4'), 'the earlier export the user kept');
      });

      it.each([
        ['EPIPE: encoder stdin closed early', (argv: string[]) => isFfmpeg(argv) && argv.includes('pipe:0')],
        ['EPIPE: decoder output pipe closed', (argv: string[]) => isFfmpeg(argv) && argv.includes('pipe:1')],
      ])('%s (ffmpeg killed mid-export): the format fails typed, no partial file, the earlier export kept', async (name, isTarget) => {
        const row = await table.runCase(name, async () => {
          const ended = new AbortController();
          const killed = killChildWhenItAppears(isTarget, { signal: ended.signal });
          const outcome = await runBatch(engine, { inputs: [clip], outDir: out, formats: ['matte'], overwrite: 'overwrite' }).finally(() => ended.abort());
          expect(await killed, 'the ffmpeg process to kill never appeared').toBeDefined();
          const failure = outcome.items[0]!.failed[0]?.error;
          expect(outcome.items[0]!.outputs).toEqual([]);
          expect(failure?.code).toMatch(/^(FFMPEG_FAILED|DECODE_FAILED)$/);
          expect(await leftovers(out)).toEqual([]);
          return `${failure!.code}: ${failure!.message}`;
        });
        expect(row.lost).toBe(0);
      });
    });

    it('SIGKILL during a project save: the project always opens whole, never older than the last finished save', async () => {
      const folder = await table.folderOf('sigkill-save');
      await mkdir(join(folder, 'media'));
      for (const name of testMediaNames) await writeFile(join(folder, 'media', name), `media ${name}`);
      const path = join(folder, 'project.mattestudio');
      const row = await table.runCase('SIGKILL during a project save', async () => {
        const opened: number[] = [];
        let damaged = 0;
        let next = 0;
        // Three kills spread over the first saves; each restarts from the debris of the last, as a relaunch does.
        for (const delayMs of [15, 70, 160]) {
          const saved = await killSaveLoop(folder, next, delayMs);
          const project = await openProject(path).catch(() => undefined);
          const version = project && versionOf(project.project);
          const expected = version === undefined ? undefined : makeVersion(version, join(folder, 'media'));
          const isWhole =
            project !== undefined && expected !== undefined && project.warnings.length === 0 && version! >= Math.max(...saved) &&
            describeDocumentMismatch(expected.document, project.project) === undefined && describeTileMismatch(expected.tiles, project.tiles) === undefined;
          if (!isWhole) damaged += 1;
          opened.push(version ?? -1);
          next = (version ?? next) + 1;
        }
        return { seen: `killed 3 times mid-save: opened whole each time (versions ${opened.join(', ')}), no warnings`, extraLost: damaged };
      });
      expect(row.lost).toBe(0);
    });
  });
}
