import sharp from 'sharp';
import { createEngine } from '../src/main/engine';
import { decodeImage } from '../src/main/imageIo/decodeImage';
import { computeMatte } from '../src/main/pipeline/computeMatte';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings } from '../src/shared/settings';
const engine = createEngine();
for (const f of ['st_people_0_longhair.png', 'u2_man5_curly_16x9.jpg']) {
let t = performance.now();
const { image } = await decodeImage('/work/shared/fixtures/portraits/' + f);
console.log(f, image.width, image.height, 'decode', performance.now() - t);
t = performance.now();
const m = await computeMatte(image, await engine.models.pickTiers(), engine.sessions, {});
console.log('matte', m.tier, m.model, m.matte.width, performance.now() - t);
t = performance.now();
const { data, info } = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).resize(1600, 1600, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
console.log('resize', performance.now() - t, info.width, info.height);
const small = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
for (const s of [small, image]) {
  const timings = {};
  t = performance.now();
  await refineCutout(s, m.matte, defaultStillSettings().refinement, timings, { withSpillHeatmap: true });
  console.log('refine', s.width, performance.now() - t, timings);
}
}
await engine.dispose();
