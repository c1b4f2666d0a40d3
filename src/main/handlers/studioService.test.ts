import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../shared/rpc/defineContract';
import type { StudioContract } from '../../shared/contract/studioContract';
import { refinementSettingsSchema } from '../../shared/settings';
import { rejectionOf } from '../../shared/rpc/testing/contractSuite';
import { fixture, fixturesDir, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { bodyOf, createStudioHarness, type StudioHarness } from './testing/studioHarness';

const ready = hasFixtures && hasBundledModels;
if (!ready) console.warn(hasFixtures ? missingModelsReason : missingFixturesReason);

const settings = refinementSettingsSchema.parse({});
const portrait = fixture('portraits/st_people_0_longhair.png');

describe.skipIf(!ready)('studio service over the real RPC (bundled model)', () => {
  let harness: StudioHarness;
  let portraitId: string;
  beforeAll(async () => {
    harness = createStudioHarness({ models: true });
    const opened = await harness.api.openPaths({ paths: [portrait] });
    portraitId = opened.items[0]!.id;
  });
  afterAll(() => harness?.dispose());

  async function layer(path: string): Promise<{ bytes: Buffer; headers: Record<string, string> }> {
    const response = await harness.media(path);
    expect(response.status).toBe(200);
    return { bytes: await bodyOf(response), headers: response.headers };
  }

  it('opens folders of images and clips with stable ids, and reports bad paths without failing the rest', async () => {
    const missing = join(fixturesDir, 'portraits', 'no-such-picture.jpg');
    const result = await harness.api.openPaths({ paths: [join(fixturesDir, 'portraits'), join(fixturesDir, 'clips'), missing, join(fixturesDir, 'MANIFEST.tsv')] });
    expect(result.items.filter((item) => item.kind === 'image')).toHaveLength(7);
    expect(result.items.filter((item) => item.kind === 'clip')).toHaveLength(4);
    expect(result.items.find((item) => item.path === portrait)).toMatchObject({ id: portraitId, name: 'st_people_0_longhair.png', width: 474, height: 474, thumbnailUrl: `/media/thumb/${portraitId}` });
    expect(result.failures).toEqual([
      { path: missing, code: 'FILE_NOT_FOUND', message: 'no-such-picture.jpg was not found.' },
      { path: join(fixturesDir, 'MANIFEST.tsv'), code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('neither a picture nor a clip') },
    ]);
  });

  it('lists a folder: folders first, natural order, hidden entries skipped, kinds by extension', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'studio-list-'));
    await mkdir(join(folder, 'zeta'));
    for (const name of ['b10.png', 'b2.jpg', 'clip.MP4', 'notes.txt', '.hidden.png']) await writeFile(join(folder, name), 'x');
    const listing = await harness.api.listFolder({ path: folder });
    expect(listing.parent).not.toBeNull();
    expect(listing.entries.map(({ name, kind }) => `${name}:${kind}`)).toEqual(['zeta:folder', 'b2.jpg:image', 'b10.png:image', 'clip.MP4:clip', 'notes.txt:other']);
    expect((await rejectionOf(harness.api.listFolder({ path: join(folder, 'nope') }))).code).toBe('FILE_NOT_FOUND');
  });

  it('reports the version, the shell and the installed models', async () => {
    const info = await harness.api.getAppInfo({});
    expect(info).toMatchObject({ version: '0.1.0', shell: 'web' });
    expect(info.models.find((model) => model.spec.id === 'isnet-fp16')?.installed).toBe(true);
  });

  it('mattes a still with the best model (tier 1) and reports progress for its job', async () => {
    const provenance = await harness.api.matteItem({ jobId: 'matte-1', itemId: portraitId });
    expect(provenance).toMatchObject({ tier: 1, model: (await harness.engine.models.pickTiers()).best!.spec.id, fallbackReasons: [] });
    const events = harness.progress.filter((event) => event.jobId === 'matte-1');
    expect(events.map((event) => event.stage)).toContain('matting');
    expect(events.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
  });

  it('renders preview layers of the stated sizes, and the colour window changes the cut-out', async () => {
    const wide = await harness.api.renderPreview({ itemId: portraitId, settings: { ...settings, radiusPx: 90 }, maxSide: 300 });
    expect([wide.width, wide.height]).toEqual([300, 300]);
    expect(wide.provenance.model).toBe((await harness.engine.models.pickTiers()).best!.spec.id);
    expect(harness.studio.refinePool.mode).toBe('worker'); // refinement ran off the event loop
    const cutout = await layer(wide.cutoutUrl);
    expect(cutout.bytes.length).toBe(300 * 300 * 4);
    expect(cutout.headers).toMatchObject({ 'Content-Type': 'application/octet-stream', 'X-Width': '300', 'X-Height': '300', 'X-Channels': '4' });
    expect((await layer(wide.spillHeatmapUrl)).bytes.length).toBe(300 * 300);
    // The picture is not sent again as a layer: the studio shows the frame's own picture beneath.
    expect(Object.keys(wide).filter((name) => name.endsWith('Url')).sort()).toEqual(['cutoutUrl', 'spillHeatmapUrl']);
    const alpha = [...cutout.bytes.filter((_, index) => index % 4 === 3)];
    expect(Math.min(...alpha)).toBe(0); // a real cut-out: background and subject both present
    expect(Math.max(...alpha)).toBe(255);
    const off = await harness.api.renderPreview({ itemId: portraitId, settings: { ...settings, radiusPx: 0 }, maxSide: 300 });
    expect((await layer(off.cutoutUrl)).bytes.equals(cutout.bytes)).toBe(false);
  });

  it('lets a new preview cancel the one still running, on the wire and on the server', async () => {
    const controller = new AbortController();
    const first = harness.api.renderPreview({ itemId: portraitId, settings: { ...settings, featherPx: 3 }, maxSide: 400 }, { signal: controller.signal });
    const second = harness.api.renderPreview({ itemId: portraitId, settings: { ...settings, featherPx: 4 }, maxSide: 400 });
    controller.abort();
    expect((await rejectionOf(first)).code).toBe('CANCELLED');
    expect((await second).width).toBe(400);

    // The handler itself honours its signal: aborted mid-flight it rejects and stores no layers.
    const stored = harness.studio.previews.storedCount;
    const serverSide = new AbortController();
    const context = { signal: serverSide.signal, method: 'renderPreview', emit: () => {} } as unknown as HandlerContext<StudioContract>;
    const running = harness.studio.handlers.renderPreview({ itemId: portraitId, frameIndex: 0, settings: { ...settings, featherPx: 5 }, maxSide: 450 }, context);
    setTimeout(() => serverSide.abort(), 20);
    expect((await rejectionOf(Promise.resolve(running))).code).toBe('CANCELLED');
    expect(harness.studio.previews.storedCount).toBe(stored);
  });

  it('exports a PNG with the hand edit applied, never overwriting, and verifies its alpha', async () => {
    const outputDir = await mkdtemp(join(tmpdir(), 'studio-export-'));
    const plain = await harness.api.exportItem({ jobId: 'export-plain', itemId: portraitId, format: 'png', outputDir, settings });
    expect(plain).toEqual({ output: join(outputDir, 'st_people_0_longhair.png'), alphaVerified: true });
    const cornerAlpha = async (path: string) => {
      const { data } = await sharp(path).extract({ left: 0, top: 0, width: 128, height: 128 }).raw().toBuffer({ resolveWithObject: true });
      return [...data.filter((_, index) => index % 4 === 3)];
    };
    expect(Math.min(...(await cornerAlpha(plain.output)))).toBeLessThan(255); // the corner is background before the edit

    const fullTile = Buffer.alloc(128 * 128, 255).toString('base64');
    await harness.api.setMaskEdit({ itemId: portraitId, frameIndex: 0, edit: { width: 474, height: 474, tileSizePx: 128, tiles: [{ tileX: 0, tileY: 0, add: fullTile, remove: '' }] } });
    const edited = await harness.api.exportItem({ jobId: 'export-edited', itemId: portraitId, format: 'png', outputDir, settings });
    expect(edited.output).toBe(join(outputDir, 'st_people_0_longhair-2.png'));
    expect(edited.alphaVerified).toBe(true);
    expect(new Set(await cornerAlpha(edited.output))).toEqual(new Set([255]));
    expect(harness.progress.filter((event) => event.jobId === 'export-edited').at(-1)).toMatchObject({ stage: 'done', fraction: 1 });

    const matte = await harness.api.exportItem({ jobId: 'export-matte', itemId: portraitId, format: 'matte-png', outputDir, settings });
    expect(matte).toEqual({ output: join(outputDir, 'st_people_0_longhair_matte.png'), alphaVerified: null });
    expect((await sharp(matte.output).metadata()).channels).toBe(1);
    await harness.api.setMaskEdit({ itemId: portraitId, frameIndex: 0, edit: null });
  });

  it('refuses bad requests with plain errors: a clip format for a still, an unknown item, a bad tile', async () => {
    const outputDir = await mkdtemp(join(tmpdir(), 'studio-bad-'));
    const wrong = await rejectionOf(harness.api.exportItem({ jobId: 'x', itemId: portraitId, format: 'webm', outputDir, settings }));
    expect(wrong).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('export it as png') });
    expect((await rejectionOf(harness.api.matteItem({ jobId: 'y', itemId: 'nope' }))).code).toBe('INVALID_INPUT');
    expect((await rejectionOf(harness.api.renderPreview({ itemId: portraitId, frameIndex: 3, settings }))).code).toBe('INVALID_INPUT');
    const shortTile = { width: 474, height: 474, tileSizePx: 128, tiles: [{ tileX: 0, tileY: 0, add: 'AAAA', remove: '' }] };
    expect((await rejectionOf(harness.api.setMaskEdit({ itemId: portraitId, frameIndex: 0, edit: shortTile }))).code).toBe('INVALID_INPUT');
    expect((await rejectionOf(harness.api.matteItem({ jobId: 'z', itemId: portraitId, modelId: 'no-such-model' }))).code).toBe('MODEL_MISSING');
  });
});
