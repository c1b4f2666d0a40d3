// Copies of a picture that differ in one pixel each, for timing the pipeline on "new" pictures: the kernel workers
// remember recent pictures' edge bands by content (src/main/pipeline/bandMemo.ts), so timing the same file again
// would measure a re-export, not a fresh picture.
import { join } from 'node:path';
import sharp from 'sharp';

/** Writes `count` JPEG copies of `path` into `dir` (same size and quality class), each with its own first pixel. */
export async function distinctCopies(path: string, count: number, dir: string): Promise<string[]> {
  const { data, info } = await sharp(path).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const copies: string[] = [];
  for (let index = 0; index < count; index++) {
    data[0] = (data[0]! + 1 + index) % 256;
    const copy = join(dir, `copy-${index}-${path.split('/').pop()!.replace(/\.[^.]+$/, '')}.jpg`);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 95 }).toFile(copy);
    copies.push(copy);
  }
  return copies;
}
