/**
 * The fault suite (issue 9): every bad input and injected fault this layer covers, run against the real engine
 * pieces, each reduced to one row — case → what the user sees → files lost — printed as a table at the end.
 * "Files lost" counts user file contents (inputs, a sentinel document, project and settings files) that exist nowhere
 * under the workspace afterwards: moved aside counts as kept, changed or deleted counts as lost. Every row must be 0,
 * and every failure must be a typed StudioError with a sentence. Intake, path and contract cases are here; output,
 * crash and model cases in `faults/outputFaults.ts` and `faults/modelFaults.ts` (the table is `faults/faultTable.ts`).
 */
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioContract } from '../shared/contract/studioContract';
import { isStudioError, toErrorData } from '../shared/errors';
import { createMemoryTransportPair } from '../shared/rpc/memoryTransport';
import type { RpcMessage } from '../shared/rpc/messages';
import { RpcServer } from '../shared/rpc/rpcServer';
import { refinementSettingsSchema } from '../shared/settings';
import { sweepStaleTemporaries, temporaryNameFor, writeFileAtomically } from './files/atomicWrite';
import { WriteScope } from './files/writeScope';
import { resolveStaticPath } from './host/staticFiles';
import { decodeImage } from './imageIo/decodeImage';
import { probeMedia } from './media/probeMedia';
import { hasFfmpeg, makeTestClip } from './media/testing/mediaTestKit';
import { openProject, saveProject } from './projects/projectStore';
import { loadAppSettings } from './projects/settingsStore';
import { ItemRegistry } from './handlers/itemRegistry';
import { MaskEditStore } from './handlers/maskEdits';
import { createProjectService } from './handlers/projectHandlers';
import { createStudioHarness, type StudioHarness } from './handlers/testing/studioHarness';
import { failureOf, FaultTable } from './faults/faultTable';
import { describeModelFaults } from './faults/modelFaults';
import { describeOutputFaults } from './faults/outputFaults';
import { makeDiscImage, writeBadInputs } from './testing/badInputs';
import { oddNames, secretText, writeHostileClips, writeLinkLoops, writeVectorImages } from './testing/hostileInputs';

const table = new FaultTable();
let harness: StudioHarness;
const runCase = table.runCase.bind(table);
const folderOf = table.folderOf.bind(table);

beforeAll(async () => {
  await table.open();
  harness = createStudioHarness({ models: false });
});

afterAll(async () => {
  await harness?.dispose();
  console.log(table.format());
});

describe('fault suite: image intake', () => {
  let inputs: Record<string, string>;
  beforeAll(async () => {
    inputs = await writeBadInputs(await folderOf('bad-images'));
  });

  it.each([
    ['0-byte file', 'empty.png', 'FILE_EMPTY'],
    ['truncated PNG', 'truncated.png', 'DECODE_FAILED'],
    ['truncated JPEG', 'truncated.jpg', 'DECODE_FAILED'],
    ['random bytes named .jpg', 'random.jpg', 'UNSUPPORTED_FORMAT'],
    ['decompression bomb (60000² PNG)', 'bomb.png', 'IMAGE_TOO_LARGE'],
    ['missing file', 'missing.png', 'FILE_NOT_FOUND'],
  ])('%s: a typed failure when the studio opens it and when it is matted', async (name, file, code) => {
    const row = await runCase(name, async () => {
      const opened = await new ItemRegistry().open([inputs[file]!]);
      expect(opened.items).toEqual([]);
      expect(opened.failures.map((failure) => failure.code)).toEqual([code]);
      const decoded = await failureOf(decodeImage(inputs[file]!));
      expect(decoded.startsWith(code)).toBe(true);
      return `open: ${opened.failures[0]!.message}`;
    });
    expect(row.lost).toBe(0);
  });

  it('EXIF-rotated, CMYK, 16-bit and animated pictures open, upright, with notes', async () => {
    const row = await runCase('EXIF / CMYK / 16-bit / animated', async () => {
      const names = ['rotated.jpg', 'cmyk.jpg', 'sixteen-bit.png', 'animated.gif'];
      const opened = await new ItemRegistry().open(names.map((name) => inputs[name]!));
      expect(opened.failures).toEqual([]);
      expect(opened.items.find((item) => item.name === 'rotated.jpg')).toMatchObject({ width: 80, height: 96 });
      const notes = (await Promise.all(names.map(async (name) => (await decodeImage(inputs[name]!)).notes))).flat();
      expect(notes.join(' ')).toMatch(/CMYK.*16-bit.*first of 2 frames/s);
      return `opened ${opened.items.length}/4; notes: ${notes.join(' ')}`;
    });
    expect(row.lost).toBe(0);
  });

  it('SVG named .png and PDF named .png are refused (never rendered)', async () => {
    const vectors = await writeVectorImages(await folderOf('vectors'));
    for (const [name, path] of [['SVG named .png', vectors.svgAsPng], ['PDF named .png', vectors.pdfAsPng]] as const) {
      const row = await runCase(name, () => failureOf(decodeImage(path)));
      expect(row.seen).toMatch(/^UNSUPPORTED_FORMAT/);
      expect(row.lost).toBe(0);
    }
  });

  it('odd names (spaces, quotes, unicode, leading dash, 254 bytes) decode and write atomically', async () => {
    const folder = await folderOf('odd-names');
    const png = await (await makeDiscImage(32, 24)).png().toBuffer();
    const row = await runCase('odd file names', async () => {
      for (const name of oddNames()) {
        await writeFile(join(folder, name), png);
        expect((await decodeImage(join(folder, name))).image.width).toBe(32);
        await writeFileAtomically(join(folder, `${name.slice(0, -4)}.out`), png);
      }
      const listed = await readdir(folder);
      expect(listed.filter((name) => name.startsWith('.'))).toEqual([]);
      return `${oddNames().length} names read and written, longest temporary name ${Buffer.byteLength(temporaryNameFor(oddNames().at(-1)!))} bytes`;
    });
    expect(row.lost).toBe(0);
  });
});

describe.skipIf(!hasFfmpeg)('fault suite: media intake', () => {
  it('HLS playlist, ffconcat list and image2 pattern named .mp4, and random bytes named .mp4: refused, nothing else read', async () => {
    const folder = await folderOf('hostile-clips');
    const segment = await makeTestClip(join(folder, 'real.ts'), { frames: 3 });
    const clips = await writeHostileClips(folder, await readFile(segment));
    await writeFile(join(folder, 'noise.mp4'), Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 31 + 7) % 256)));
    for (const [name, path, pattern] of [
      ['HLS playlist as .mp4', clips.playlist, /^UNSUPPORTED_FORMAT.*HLS playlist/],
      ['ffconcat list as .mp4', clips.concat, /^UNSUPPORTED_FORMAT.*ffconcat/],
      ['image2 pattern name as .mp4', clips.pattern, /^(UNSUPPORTED_FORMAT|DECODE_FAILED)/],
      ['bad video (random bytes .mp4)', join(folder, 'noise.mp4'), /^(UNSUPPORTED_FORMAT|DECODE_FAILED)/],
    ] as const) {
      const row = await runCase(name, () => failureOf(probeMedia(path)));
      expect(row.seen).toMatch(pattern);
      expect(row.seen).not.toContain(secretText);
      expect(row.lost).toBe(0);
    }
  });
});

describe('fault suite: folders, paths and the contract', () => {
  it('symlink loops (ln -s . self; two loop links): openPaths over RPC returns, each picture once, each loop reported once', async () => {
    const folder = await writeLinkLoops(await folderOf('loops'), await (await makeDiscImage()).png().toBuffer());
    await symlink('.', join(folder, 'sub', 'self-too'));
    const row = await runCase('symlink loops in an opened folder', async () => {
      const result = await harness.api.openPaths({ paths: [folder] });
      expect(result.items.map((item) => item.name)).toEqual(['a.png']);
      expect(result.failures).toHaveLength(3);
      return `opened ${result.items.length}; ${result.failures.map((failure) => failure.message.slice(folder.length + 1)).join(' | ')}`;
    });
    expect(row.lost).toBe(0);
  });

  it('path traversal through the static and media routes: refused', async () => {
    const bundle = await folderOf('bundle');
    await writeFile(join(bundle, 'index.html'), '<!doctype html>');
    const row = await runCase('path traversal (static + media routes)', async () => {
      const statuses: number[] = [];
      for (const path of ['/../sentinel-notes.txt', '/..%2fsentinel-notes.txt', '/%2e%2e/sentinel-notes.txt', '/.env', '/a%00b', '/..\\sentinel-notes.txt']) {
        const resolved = await resolveStaticPath(bundle, path);
        expect('status' in resolved, path).toBe(true);
        statuses.push((resolved as { status: number }).status);
      }
      for (const path of ['/media/source/..%2F..%2Fetc%2Fpasswd', '/media/source/../../etc/passwd', '/media/thumb/%2e%2e', '/media/frame/x/0?maxSide=99999999']) {
        const response = await harness.media(path);
        expect([400, 404], path).toContain(response.status);
        statuses.push(response.status);
      }
      return `every request refused: ${[...new Set(statuses)].sort().join('/')} (static 403/404, media 400/404)`;
    });
    expect(row.lost).toBe(0);
  });

  it('bad IPC input: malformed requests get typed failures, the server keeps serving', async () => {
    const row = await runCase('bad IPC input', async () => {
      const server = new RpcServer(studioContract, harness.studio.handlers);
      const [clientSide, serverSide] = createMemoryTransportPair();
      server.connect(serverSide);
      const replies: RpcMessage[] = [];
      clientSide.onMessage((message) => replies.push(message as RpcMessage));
      const bad = [
        { kind: 'request', id: 1, method: 'openPaths', input: { paths: 5 } },
        { kind: 'request', id: 2, method: 'openProject', input: { path: { toString: 1 } } },
        { kind: 'request', id: 3, method: 'noSuchMethod', input: {} },
        { kind: 'request', id: 4, method: 'renderPreview', input: { itemId: '../../etc/passwd', frameIndex: -1 } },
        { kind: 'request', id: 5, method: 'getAppInfo', input: {} },
      ];
      for (const message of bad) clientSide.send(message as RpcMessage);
      const deadline = Date.now() + 10_000;
      while (replies.length < bad.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      server.dispose();
      const failures = replies.filter((reply) => reply.kind === 'failure') as Array<Extract<RpcMessage, { kind: 'failure' }>>;
      expect(failures.map((failure) => failure.id).sort()).toEqual([1, 2, 3, 4]);
      expect(failures.every((failure) => failure.error.code !== 'INTERNAL')).toBe(true);
      expect(replies.find((reply) => reply.kind === 'result')).toMatchObject({ id: 5 });
      return `4 typed failures (${[...new Set(failures.map((failure) => failure.error.code))].join(', ')}), next request answered`;
    });
    expect(row.lost).toBe(0);
  });

  it('a system file opened as a project: refused, no copy beside it, no content in the error', async () => {
    const folder = await folderOf('system');
    const settings = await folderOf('settings-a');
    await writeFile(join(folder, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    const row = await runCase('system file opened as a project', async () => {
      const seen = await failureOf(openProject(join(folder, 'passwd'), { settingsFolder: settings }));
      const error = await openProject(join(folder, 'passwd')).catch((caught: unknown) => caught);
      expect(JSON.stringify(toErrorData(error))).not.toContain('root:x');
      expect(await readdir(folder)).toEqual(['passwd']);
      return seen;
    });
    expect(row.lost).toBe(0);
  });

  it('a damaged project: PROJECT_DAMAGED, the copy kept in the settings folder only', async () => {
    const folder = await folderOf('projects');
    const settings = await folderOf('settings-b');
    const path = join(folder, 'job.mattestudio');
    await saveProject(path, { items: [], activeItemId: null }, []);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, 20));
    const row = await runCase('damaged project file', async () => {
      const seen = await failureOf(openProject(path, { settingsFolder: settings }));
      expect(seen).toMatch(/^PROJECT_DAMAGED/);
      expect((await readdir(folder)).filter((name) => name.includes('.bad-'))).toEqual([]);
      expect(await readdir(join(settings, 'damaged-projects'))).toHaveLength(1);
      return seen.replace(settings, '<settings>');
    });
    expect(row.lost).toBe(0);
  });

  it('corrupt settings: defaults with a warning, the damaged file kept aside', async () => {
    const settings = await folderOf('settings-c');
    await writeFile(join(settings, 'settings.json'), '{"isAutosaveEnabled": "yes please", ');
    const row = await runCase('corrupt settings', async () => {
      const { settings: loaded, warnings } = await loadAppSettings(settings);
      expect(loaded.isAutosaveEnabled).toBe(true);
      expect(warnings).toHaveLength(1);
      return warnings[0]!.replace(settings, '<settings>');
    });
    expect(row.lost).toBe(0);
  });

  it('save outside the folders the user chose (strict write scope): refused, nothing written', async () => {
    const chosen = await folderOf('chosen');
    const elsewhere = await folderOf('elsewhere');
    const projects = createProjectService({ items: new ItemRegistry(), maskEdits: new MaskEditStore(), settingsFolder: chosen, writeScope: new WriteScope(true) });
    const document = { items: [{ id: 'a', path: join(chosen, 'a.png'), kind: 'image' as const, settings: refinementSettingsSchema.parse({}), frameIndex: 0 }], activeItemId: 'a' };
    const row = await runCase('saveProject outside the write scope', async () => {
      const seen = await failureOf(Promise.resolve().then(() => projects.handlers.saveProject({ path: join(elsewhere, 'x.mattestudio'), document, replace: false }, { signal: new AbortController().signal, emit: () => {} } as never)));
      expect(await readdir(elsewhere)).toEqual([]);
      return seen;
    });
    await projects.close();
    expect(row.lost).toBe(0);
  });

  it('SIGTERM/SIGKILL leftovers: stale partials swept at the next start, live and user files kept', async () => {
    const folder = await folderOf('partials');
    await writeFile(join(folder, 'portrait.png'), 'the user’s finished output');
    await writeFile(join(folder, `.portrait.png.partial-99999999-0123abcd`), 'half an export');
    await writeFile(join(folder, `.clip.partial-99999999-89abcdef.mov`), 'half a clip');
    const row = await runCase('stale .partial files after SIGTERM', async () => {
      const removed = await sweepStaleTemporaries(folder);
      expect(await readdir(folder)).toEqual(['portrait.png']);
      return `${removed.length} leftovers removed; portrait.png kept`;
    });
    expect(row.lost).toBe(0);
  });

  it('a picture deleted after it was opened: a typed FILE_NOT_FOUND when it is read again', async () => {
    const folder = await folderOf('deleted');
    const path = join(folder, 'gone.png');
    await writeFile(path, await (await makeDiscImage()).png().toBuffer());
    const registry = new ItemRegistry();
    expect((await registry.open([path])).items).toHaveLength(1);
    const { rm } = await import('node:fs/promises');
    await rm(path);
    const row = await runCase('file deleted mid-run', async () => {
      const seen = await failureOf(decodeImage(path));
      const reopened = await registry.open([path]);
      expect(reopened.failures.map((failure) => failure.code)).toEqual(['FILE_NOT_FOUND']);
      return seen;
    });
    expect(row.seen).toMatch(/^FILE_NOT_FOUND/);
    // The deleted file was removed by the "user" before the case ran: nothing lost during it.
    expect(row.lost).toBe(0);
  });

  it('cancel while a folder is being opened: CANCELLED, nothing opened, nothing touched', async () => {
    const folder = await folderOf('cancel');
    for (let index = 0; index < 5; index++) await writeFile(join(folder, `p${index}.png`), await (await makeDiscImage(16, 16)).png().toBuffer());
    const row = await runCase('cancel during open', async () => {
      const controller = new AbortController();
      controller.abort();
      return failureOf(new ItemRegistry().open([folder], controller.signal));
    });
    expect(row.seen).toMatch(/^CANCELLED/);
    expect(row.lost).toBe(0);
  });

  it('no permission to read a picture: a typed failure', async () => {
    const folder = await folderOf('locked');
    const path = join(folder, 'locked.png');
    await writeFile(path, await (await makeDiscImage()).png().toBuffer());
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o000);
    const row = await runCase('no read permission', async () => {
      // root reads anything; then the picture simply opens, which is also correct.
      const outcome = await decodeImage(path).then(() => 'opened (running as root)', (error: unknown) => (isStudioError(error) ? `${error.code}: ${error.message}` : `untyped ${String(error)}`));
      expect(outcome).not.toMatch(/^untyped/);
      return outcome;
    });
    await chmod(path, 0o644);
    expect(row.lost).toBe(0);
  });
});

// Output, crash and model faults live in ./faults/; they add their rows to the same table.
describeOutputFaults(table);
describeModelFaults(table);
