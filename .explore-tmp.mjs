import sharp from 'sharp';
import { readdirSync } from 'node:fs';
const { toGray, sobelMagnitude } = await import('/tmp/cartoon/bundle.mjs');
async function load(path, size) {
  let s = sharp(path).flatten({ background: '#ffffff' }).removeAlpha();
  if (size) s = s.resize(size, size, { fit: 'inside', kernel: 'cubic' });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}
const size = Number(process.env.SIZE || 0);
for (const dir of ['cartoon', 'portraits']) for (const f of readdirSync('/work/shared/fixtures/' + dir)) {
  const img = await load(`/work/shared/fixtures/${dir}/${f}`, size);
  const n = img.width * img.height;
  const gray = toGray(img); const mag = sobelMagnitude(gray);
  const share = (p) => { let c = 0; for (let i = 0; i < n; i++) if (p(mag.data[i])) c++; return c / n; };
  const strong = share(m => m > 1), any = share(m => m > 0.1), soft = share(m => m > 0.1 && m < 0.5), flat = share(m => m < 0.04);
  let dark = 0; for (let i = 0; i < n; i++) if (gray.data[i] < 80 / 255) dark++;
  const bits = 4; const bins = new Uint32Array(1 << (3 * bits)); const sh = 8 - bits;
  for (let i = 0; i < n; i++) bins[(img.data[i*3] >> sh) << (2*bits) | (img.data[i*3+1] >> sh) << bits | img.data[i*3+2] >> sh]++;
  const sorted = [...bins].sort((a, b) => b - a); let acc = 0, k = 0; while (acc < 0.9 * n) acc += sorted[k++];
  let top8 = 0; for (let j = 0; j < 8; j++) top8 += sorted[j];
  const r = (v) => v.toFixed(3);
  console.log(dir.slice(0,4), f.slice(0,22).padEnd(22), `${img.width}x${img.height}`.padEnd(9), 'strong', r(strong), 'any', r(any), 'sharp', r(strong/any), 'soft', r(soft), 'flat', r(flat), 'dark', r(dark/n), 'bins90', String(k).padStart(4), 'top8', r(top8/n));
}
