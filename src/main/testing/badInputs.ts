import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** A small portrait-like test picture: a warm disc on a cool background. */
export async function makeDiscImage(width = 96, height = 80): Promise<Sharp> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      data.set(inside ? [220, 150, 120] : [40, 90, 160], (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid-looking PNG whose header claims `width × height` pixels but whose data is tiny: a decompression bomb. */
export function makePngBomb(width = 60000, height = 60000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const row = Buffer.alloc(1 + width);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(row)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Writes every kind of bad and awkward input into `folder`; returns their paths by name. */
export async function writeBadInputs(folder: string): Promise<Record<string, string>> {
  const disc = await makeDiscImage();
  const png = await disc.clone().png().toBuffer();
  const jpeg = await disc.clone().jpeg().toBuffer();
  const files: Record<string, Buffer> = {
    'empty.png': Buffer.alloc(0),
    'truncated.png': png.subarray(0, Math.floor(png.length / 2)),
    'truncated.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    'random.jpg': Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 251)),
    'bomb.png': makePngBomb(),
    'cmyk.jpg': await disc.clone().toColourspace('cmyk').jpeg().toBuffer(),
    'sixteen-bit.png': await disc.clone().toColourspace('rgb16').png().toBuffer(),
    'rotated.jpg': await disc.clone().jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    'animated.gif': await sharp([png, await (await makeDiscImage()).negate().png().toBuffer()], { join: { animated: true } }).gif().toBuffer(),
  };
  const paths: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    paths[name] = join(folder, name);
    await writeFile(paths[name]!, data);
  }
  paths['missing.png'] = join(folder, 'missing.png');
  return paths;
}
