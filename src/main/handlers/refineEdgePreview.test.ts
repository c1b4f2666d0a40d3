// Studio previews apply the Refine Edge marks the renderer sent with `setMaskEdit` (the engine re-solves alpha under
// them, at the preview's own size), while add/subtract hand edits stay out of the preview (the renderer composes them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { writeHairPicture } from '../testing/hairPicture';
import { bodyOf, createStudioHarness, type StudioHarness } from './testing/studioHarness';

const width = 64;
const height = 48;
/** Marked for refinement: over the strands and past them into the backdrop. */
const marked = { x0: 22, y0: 8, x1: 50, y1: 40 };
// The automatic band off, so every change comes from the marks.
const settings = refinementSettingsSchema.parse({ edgeRadiusPx: 0, cartoonMode: 'off' });

/** One tile (the whole 64×48 picture) with `plane` set to 255 inside the marked rectangle. */
function tilesWith(plane: 'add' | 'refineEdge') {
  const bytes = Buffer.alloc(width * height);
  for (let y = marked.y0; y < marked.y1; y++) bytes.fill(255, y * width + marked.x0, y * width + marked.x1);
  const tile = { tileX: 0, tileY: 0, add: '', remove: '', [plane]: bytes.toString('base64') };
  return { width, height, tileSizePx: 128, tiles: [tile as { tileX: number; tileY: number; add: string; remove: string; refineEdge?: string }] };
}

describe('Refine Edge marks in studio previews', () => {
  let harness: StudioHarness;
  let folder: string;
  let itemId: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'refine-edge-preview-'));
    await writeHairPicture(join(folder, 'hair.png'), width, height);
    harness = createStudioHarness({ models: false });
    itemId = (await harness.api.openPaths({ paths: [join(folder, 'hair.png')] })).items[0]!.id;
  });
  afterAll(async () => {
    await harness?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  /** The preview's alpha (the cut-out layer's fourth channel) at `maxSide`. */
  async function previewAlpha(maxSide = 64): Promise<{ width: number; alpha: Uint8Array }> {
    const preview = await harness.api.renderPreview({ itemId, frameIndex: 0, settings, maxSide });
    const response = await harness.media(preview.cutoutUrl);
    expect(response.status).toBe(200);
    const cutout = await bodyOf(response);
    return { width: preview.width, alpha: Uint8Array.from({ length: preview.width * preview.height }, (_, pixel) => cutout[pixel * 4 + 3]!) };
  }

  it('re-solves alpha inside the marks only, follows erasing, and leaves add/subtract to the renderer', async () => {
    const plain = await previewAlpha();
    const halfPlain = await previewAlpha(32);
    await harness.api.setMaskEdit({ itemId, frameIndex: 0, edit: tilesWith('refineEdge') });
    const refined = await previewAlpha();
    const changed = [...refined.alpha.keys()].filter((pixel) => refined.alpha[pixel] !== plain.alpha[pixel]);
    const isInside = (pixel: number) => {
      const [x, y] = [pixel % width, Math.floor(pixel / width)];
      return x >= marked.x0 && x < marked.x1 && y >= marked.y0 && y < marked.y1;
    };
    expect(changed.filter((pixel) => !isInside(pixel))).toEqual([]);
    expect(changed.length).toBeGreaterThan(20);
    // A smaller preview gets the marks at its own size.
    const halfRefined = await previewAlpha(32);
    expect(halfRefined.width).toBe(32);
    expect(halfRefined.alpha).not.toEqual(halfPlain.alpha);

    // Marks erased (the frame sent with only an add plane): the preview is the unmarked one again.
    await harness.api.setMaskEdit({ itemId, frameIndex: 0, edit: tilesWith('add') });
    expect((await previewAlpha()).alpha).toEqual(plain.alpha);
    expect(harness.serverErrors).toEqual([]);
  });
});
