/**
 * A small generated picture for the Refine Edge tests: a warm subject on the left, a blue backdrop on the right, and
 * thin one-pixel strands of "hair" reaching across, where a re-solved alpha differs from the matte the tiers give.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/** Writes the picture (PNG, `width × height`, default 64×48) to `path`. */
export async function writeHairPicture(path: string, width = 64, height = 48): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const isStrand = y % 4 === 0 && x < Math.round(width * 0.47) + ((y * 7) % 13);
      const isSubject = x < Math.round(width * 0.4) || isStrand;
      data.set(isSubject ? [200, 140, 100] : [40, 90, 170], (y * width + x) * 3);
    }
  }
  await writeFile(path, await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer());
}
