import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDiscImage, writeBadInputs } from '../testing/badInputs';
import { writeLinkLoops, writeVectorImages } from '../testing/hostileInputs';
import { ItemRegistry } from './itemRegistry';
import { createStudioHarness, type StudioHarness } from './testing/studioHarness';

describe('the studio decode-checks what it opens', () => {
  it('truncated files, bombs, random bytes, SVG/PDF named .png become failures with a message; valid awkward files open', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'studio-intake-'));
    const inputs = await writeBadInputs(folder);
    const vectors = await writeVectorImages(folder);
    const registry = new ItemRegistry();
    const { items, failures } = await registry.open([folder, inputs['missing.png']!]);
    const failed = Object.fromEntries(failures.map((failure) => [failure.path.slice(folder.length + 1), failure.code]));
    expect(failed).toEqual({
      'empty.png': 'FILE_EMPTY',
      'truncated.png': 'DECODE_FAILED',
      'truncated.jpg': 'DECODE_FAILED',
      'random.jpg': 'UNSUPPORTED_FORMAT',
      'bomb.png': 'IMAGE_TOO_LARGE',
      'drawing-as.png': 'UNSUPPORTED_FORMAT',
      'document-as.png': 'UNSUPPORTED_FORMAT',
      'missing.png': 'FILE_NOT_FOUND',
    });
    for (const failure of failures) expect(failure.message.length).toBeGreaterThan(10);
    expect(items.map((item) => item.name).sort()).toEqual(['animated.gif', 'cmyk.jpg', 'rotated.jpg', 'sixteen-bit.png']);
    expect(items.find((item) => item.name === 'rotated.jpg')).toMatchObject({ width: 80, height: 96 });
    expect(vectors.svg.endsWith('.svg')).toBe(true); // .svg is not a picture extension: a folder never offers it
  });

  it('a small pixel cap refuses big stills when opened, so no thumbnail can decode past it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'studio-cap-'));
    await writeFile(join(folder, 'big.png'), await (await makeDiscImage(400, 300)).png().toBuffer());
    const registry = new ItemRegistry(undefined, 100_000);
    const { items, failures } = await registry.open([folder]);
    expect(items).toEqual([]);
    expect(failures.map((failure) => failure.code)).toEqual(['IMAGE_TOO_LARGE']);
  });
});

describe('link loops over RPC', () => {
  let harness: StudioHarness;
  beforeAll(() => {
    harness = createStudioHarness({ models: false });
  });
  afterAll(() => harness?.dispose());

  it('openPaths returns: each picture once, each loop reported once', async () => {
    const folder = await writeLinkLoops(await mkdtemp(join(tmpdir(), 'studio-loops-')), await (await makeDiscImage()).png().toBuffer());
    const result = await harness.api.openPaths({ paths: [folder, join(folder, 'self')] });
    expect(result.items.map((item) => item.name)).toEqual(['a.png']);
    expect(result.failures.map((failure) => [failure.path.slice(folder.length + 1), failure.code])).toEqual([
      ['self', 'INVALID_INPUT'],
      ['sub/up', 'INVALID_INPUT'],
    ]);
    expect(result.failures[0]!.message).toMatch(/links back/);
  });
});
