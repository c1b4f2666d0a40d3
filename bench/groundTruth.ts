// Ground-truth sets for the quality benches: DIM crops and GT05 (real photos with true alpha), and exact composites of
// the wesnoth sprites (real alpha) over the shared backgrounds at several placements.
import { join } from 'node:path';
import sharp from 'sharp';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { dilate } from '../src/core/morphology/dilate';
import { trimapUnknownRegion } from '../src/core/metrics/trimapUnknownRegion';
import { fixturesDir } from './benchUtils';

/** One picture with its truth. */
export interface GroundTruthItem {
  set: 'DIM' | 'GT05' | 'sprites';
  name: string;
  image: Image8;
  trueAlpha: AlphaMatte;
  /** True foreground colour where known (GT05, sprites). */
  trueForeground?: FloatImage;
  /** Pixels scored for the matte metrics' "unknown" columns (trimap unknown, or the sprite band). */
  unknown: Image8;
  /** Band for composite error: pixels within 3 px of the true edge (sprites); absent: 0 < true α < 1. */
  band?: Image8;
}

export const gray = async (path: string, width?: number, height?: number): Promise<AlphaMatte> => {
  const pipeline = sharp(path).extractChannel(0);
  const { data, info } = await (width ? pipeline.resize(width, height, { fit: 'fill' }) : pipeline).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: Float32Array.from(data, (value) => value / 255) };
};
export const rgb = async (path: string, width?: number, height?: number, position?: { left: number; top: number }): Promise<Image8> => {
  let pipeline = sharp(path).removeAlpha();
  if (width && height && position) {
    const meta = await sharp(path).metadata();
    const scale = Math.max((width * 1.6) / meta.width!, (height * 1.6) / meta.height!);
    const scaledWidth = Math.ceil(meta.width! * scale);
    const scaledHeight = Math.ceil(meta.height! * scale);
    pipeline = pipeline.resize(scaledWidth, scaledHeight).extract({
      left: Math.round(position.left * (scaledWidth - width)), top: Math.round(position.top * (scaledHeight - height)), width, height,
    });
  } else if (width) pipeline = pipeline.resize(width, height, { fit: 'cover' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
};
export const toFloat = (image: Image8): FloatImage => ({ ...image, data: Float32Array.from(image.data, (value) => value / 255) });

/** `αF + (1 − α)B`. */
export function compose(foreground: FloatImage, alpha: AlphaMatte, background: FloatImage): FloatImage {
  const data = new Float32Array(alpha.data.length * 3);
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    const coverage = alpha.data[pixel]!;
    for (let channel = 0; channel < 3; channel++) {
      data[pixel * 3 + channel] = coverage * foreground.data[pixel * 3 + channel]! + (1 - coverage) * background.data[pixel * 3 + channel]!;
    }
  }
  return { width: alpha.width, height: alpha.height, channels: 3, data };
}

/** Pixels within `radiusPx` of the true edge (0 < α < 1, or α differing from a 4-neighbour). */
export function edgeBand(alpha: AlphaMatte, radiusPx = 3): Image8 {
  const { width, data } = alpha;
  const edge: FloatImage = { width, height: alpha.height, channels: 1, data: new Float32Array(data.length) };
  for (let pixel = 0; pixel < data.length; pixel++) {
    const value = data[pixel]!;
    const x = pixel % width;
    const differs = (x > 0 && data[pixel - 1] !== value) || (x < width - 1 && data[pixel + 1] !== value) ||
      (pixel >= width && data[pixel - width] !== value) || (pixel + width < data.length && data[pixel + width] !== value);
    edge.data[pixel] = (value > 0 && value < 1) || differs ? 1 : 0;
  }
  const grown = dilate(edge, radiusPx);
  return { width, height: alpha.height, channels: 1, data: Uint8Array.from(grown.data, (value) => (value > 0 ? 1 : 0)) };
}

async function loadRgba(path: string) {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const trueForeground: FloatImage = { width: info.width, height: info.height, channels: 3, data: new Float32Array(info.width * info.height * 3) };
  const trueAlpha: AlphaMatte = { width: info.width, height: info.height, channels: 1, data: new Float32Array(info.width * info.height) };
  for (let pixel = 0; pixel < trueAlpha.data.length; pixel++) {
    for (let channel = 0; channel < 3; channel++) trueForeground.data[pixel * 3 + channel] = data[pixel * 4 + channel]! / 255;
    trueAlpha.data[pixel] = data[pixel * 4 + 3]! / 255;
  }
  return { trueForeground, trueAlpha };
}

const toImage8 = (image: FloatImage): Image8 => ({ ...image, data: Uint8Array.from(image.data, (value) => Math.round(value * 255)) });

export const spriteNames = ['konrad', 'delfador', 'mage_female'] as const;
export const spriteBackgrounds = ['noaa_reef_blue.png', 'noaa_sf_dusk_sky.jpeg', 'bgm_bg_atrium.png', 'skimage_brick_wall.png', 'skimage_coffee_table.png'] as const;
export const placements = [{ left: 0, top: 0 }, { left: 1, top: 0.8 }] as const;

/** The sprite composites: every sprite over every background at every placement (exact α and F). */
export async function* spriteComposites(): AsyncGenerator<GroundTruthItem> {
  for (const sprite of spriteNames) {
    const { trueForeground, trueAlpha } = await loadRgba(join(fixturesDir, 'cartoon', `wesnoth_${sprite}.png`));
    const band = edgeBand(trueAlpha);
    for (const background of spriteBackgrounds) {
      for (const [index, position] of placements.entries()) {
        const old = toFloat(await rgb(join(fixturesDir, 'backgrounds', background), trueAlpha.width, trueAlpha.height, position));
        yield { set: 'sprites', name: `${sprite}/${background.replace(/\..*$/, '')}#${index}`, image: toImage8(compose(trueForeground, trueAlpha, old)), trueAlpha, trueForeground, unknown: band, band };
      }
    }
  }
}

/** DIM crops and GT05. */
export async function* photoItems(): AsyncGenerator<GroundTruthItem> {
  for (const index of [0, 1, 2, 3, 4]) {
    const base = join(fixturesDir, 'gt_alpha/dim_crops', `dim${index}`);
    const image = await rgb(`${base}_image.png`);
    const trueAlpha = await gray(`${base}_alpha.png`, image.width, image.height);
    yield { set: 'DIM', name: `dim${index}`, image, trueAlpha, unknown: trimapUnknownRegion(await gray(`${base}_trimap.png`, image.width, image.height)) };
  }
  const base = join(fixturesDir, 'gt_alpha/mmagic_GT05');
  const image = await rgb(join(base, 'GT05_merged.jpg'));
  const trueAlpha = await gray(join(base, 'GT05_alpha.jpg'), image.width, image.height);
  const trueForeground = toFloat(await rgb(join(base, 'GT05_fg.jpg'), image.width, image.height));
  yield { set: 'GT05', name: 'GT05', image, trueAlpha, trueForeground, unknown: trimapUnknownRegion(await gray(join(base, 'GT05_trimap.png'), image.width, image.height)) };
}
