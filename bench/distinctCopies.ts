// Copies of a picture that differ in one corner block each, for timing the pipeline on "new" pictures: the kernel workers
// remember recent pictures' edge bands by content (src/main/pipeline/bandMemo.ts), so timing the same file again
// would measure a re-export, not a fresh picture.
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Writes `count` JPEG copies of `path` into `dir` (same size and quality), each with its own 16×16 corner block: a
 * change to one pixel can vanish in JPEG's 8×8 quantisation and leave copies that decode to the same pixels.
 */
export async function distinctCopies(path: string, count: number, dir: string): Promise<string[]> {
  const { data, info } = await sharp(path).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const copies: string[] = [];
  for (let index = 0; index < count; index++) {
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) data[(y * info.width + x) * 3] = (37 * (index + 1)) % 256;
    const copy = join(dir, `copy-${index}-${path.split('/').pop()!.replace(/\.[^.]+$/, '')}.jpg`);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 95 }).toFile(copy);
    copies.push(copy);
  }
  return copies;
}
