// The Refine Edge brush's marks in exports, through the one pipeline every export runs (runBatch with the studio's
// `sourceFor` hook, as the studio's Export and Batch Export pass it): alpha is re-solved from the picture where the
// artist marked, even with the automatic edge band off, and nowhere else.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMaskEdit } from '../../../core/matting/maskEdit';
import { paintBrushDab } from '../../../core/matting/paintBrushDab';
import { refinementSettingsSchema } from '../../../shared/settings';
import { MaskEditStore } from '../../handlers/maskEdits';
import { writeHairPicture } from '../../testing/hairPicture';
import { runBatch } from './runBatch';
import { makeWorkspace, type BatchWorkspace } from './testing/batchTestKit';

const width = 64;
const height = 48;
/** Where the artist marks: over the strands, and well past them into the backdrop. */
const marked = { x0: 22, y0: 8, x1: 50, y1: 40 };
const isMarked = (x: number, y: number) => x >= marked.x0 && x < marked.x1 && y >= marked.y0 && y < marked.y1;

let workspace: BatchWorkspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(async () => {
  await workspace.remove();
});

/** The marks as the studio holds them: Refine Edge dabs (hard, so every covered pixel counts) over the rectangle. */
function markedEdits(): MaskEditStore {
  const edit = createMaskEdit(width, height);
  for (let y = marked.y0 + 2; y < marked.y1; y += 2) {
    for (let x = marked.x0 + 2; x < marked.x1; x += 2) paintBrushDab(edit, { x, y, sizePx: 4, hardness: 1, mode: 'add', plane: 'refineEdge' });
  }
  const store = new MaskEditStore();
  store.set('item', 0, edit);
  return store;
}

async function exportAlpha(input: string, outDir: string, edits?: MaskEditStore): Promise<Uint8Array> {
  // The automatic band off (and outline protection off), so every change comes from the marks alone.
  const refinement = refinementSettingsSchema.parse({ edgeRadiusPx: 0, cartoonMode: 'off' });
  const outcome = await runBatch(
    workspace.engine,
    { inputs: [input], outDir, formats: ['png'], settings: { refinement } },
    { sourceFor: edits && (() => ({ maskEditFor: (frameIndex, frameWidth, frameHeight) => edits.get('item', frameIndex, frameWidth, frameHeight) })) },
  );
  expect(outcome.items[0]).toMatchObject({ failed: [], alphaVerified: true });
  const { data, info } = await sharp(outcome.items[0]!.outputs[0]!.path).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([width, height, 4]);
  return Uint8Array.from({ length: width * height }, (_, pixel) => data[pixel * 4 + 3]!);
}

describe('Refine Edge marks in exports', () => {
  it('change alpha inside the marked area only; elsewhere the export is the unmarked one, byte for byte', async () => {
    const input = join(workspace.inDir, 'hair.png');
    await writeHairPicture(input);
    const plain = await exportAlpha(input, join(workspace.root, 'plain'));
    const refined = await exportAlpha(input, join(workspace.root, 'refined'), markedEdits());
    let changedInside = 0;
    const changedOutside: string[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const pixel = y * width + x;
        if (plain[pixel] === refined[pixel]) continue;
        if (isMarked(x, y)) changedInside++;
        else changedOutside.push(`${x},${y}`);
      }
    }
    expect(changedOutside).toEqual([]);
    expect(changedInside).toBeGreaterThan(20);
  });

  it('exports exactly as before when the frame has no marks that count (below half strength)', async () => {
    const input = join(workspace.inDir, 'hair.png');
    await writeHairPicture(input);
    const edits = new MaskEditStore();
    const faint = createMaskEdit(width, height);
    faint.refineEdge.fill(127);
    edits.set('item', 0, faint);
    const plain = await exportAlpha(input, join(workspace.root, 'plain'));
    const faintlyMarked = await exportAlpha(input, join(workspace.root, 'faint'), edits);
    expect(faintlyMarked).toEqual(plain);
  });
});
