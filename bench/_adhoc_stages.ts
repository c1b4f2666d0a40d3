import sharp from 'sharp';
import { decodeImage } from '../src/main/imageIo/decodeImage';
import { resizeArea } from '../src/core/filters/resizeArea';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings } from '../src/shared/settings';
import type { StageTimings } from '../src/main/pipeline/stageTimer';
const { image } = await decodeImage('/work/shared/fixtures/portraits/u2_man5_curly_16x9.jpg');
const { data, info } = await sharp('/tmp/adhoc/m/u2_man5_curly_16x9_matte.png').greyscale().raw().toBuffer({ resolveWithObject: true });
const full = { width: info.width, height: info.height, channels: 1, data: Float32Array.from(data, (v) => v / 255) };
const low = resizeArea(full as never, 1024, 576);
const settings = defaultStillSettings();
const runs: StageTimings[] = [];
for (let i = 0; i < 6; i++) {
  const t: StageTimings = {};
  const s = performance.now(); const c0 = process.cpuUsage();
  await refineCutout(image, low, settings.refinement, t);
  t.total = performance.now() - s; t.cpu = (process.cpuUsage(c0).user) / 1000;
  runs.push(t);
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const k of Object.keys(runs[1]!)) console.log(k.padEnd(12), med(runs.slice(1).map((r) => r[k] ?? 0)).toFixed(0));
