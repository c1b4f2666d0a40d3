// Spill benchmark on portraits/lp_d9_blond_yellowwall.jpg (blond hair against a strong yellow wall): how much of the
// wall's colour the hair edge keeps, and how far skin moves, for several spill strengths. Run by
// `npm run bench -- quality` (or `npm run bench -- spill`).
import { join } from 'node:path';
import { srgbPixelToLab } from '../src/core/color/srgbToLab';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { createEngine, type Engine } from '../src/main/engine';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings, type RefinementSettings } from '../src/shared/settings';
import { fixturesDir, printTable } from './benchUtils';
import { rgb } from './groundTruth';
import { cachedLowResMatte } from './matteCache';

/** Boxes on the 720×720 picture, [x0, y0, x1, y1): the wall patch, the face and neck (skin, mouth and tongue included). */
const WALL = [10, 10, 150, 150] as const;
const SKIN = [245, 215, 445, 545] as const;
/** Hair-edge pixels: 0.05 < α < 0.95 outside the skin box, below the top of the head. */
const HAIR_TOP = 90;

interface SpillFigures { hairTowardsWall: number; hairDeltaEToWall: number; skinMean: number; skinP99: number; skinMax: number }

function labAt(image: FloatImage, pixel: number, out: Float64Array, offset = 0): void {
  srgbPixelToLab(image.data, pixel * 3, out, offset);
}

function inBox(box: readonly number[], x: number, y: number): boolean {
  return x >= box[0]! && y >= box[1]! && x < box[2]! && y < box[3]!;
}

/** Hair and skin figures of a cut-out's foreground against the reference foreground (spill off). */
export function spillFigures(image: Image8, alpha: AlphaMatte, reference: FloatImage, foreground: FloatImage): SpillFigures {
  const lab = new Float64Array(6);
  let wallA = 0, wallB = 0, wallL = 0, wallCount = 0;
  const imageFloat: FloatImage = { ...image, data: Float32Array.from(image.data, (value) => value / 255) };
  for (let y = WALL[1]; y < WALL[3]; y++) for (let x = WALL[0]; x < WALL[2]; x++) {
    labAt(imageFloat, y * image.width + x, lab);
    wallL += lab[0]!; wallA += lab[1]!; wallB += lab[2]!; wallCount++;
  }
  wallL /= wallCount; wallA /= wallCount; wallB /= wallCount;
  const chroma = Math.hypot(wallA, wallB);
  const direction = [wallA / chroma, wallB / chroma];
  let towards = 0, deltaToWall = 0, hairCount = 0;
  const skin: number[] = [];
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    const x = pixel % image.width, y = Math.floor(pixel / image.width);
    const coverage = alpha.data[pixel]!;
    if (inBox(SKIN, x, y)) {
      if (coverage <= 0) continue;
      labAt(reference, pixel, lab, 0);
      labAt(foreground, pixel, lab, 3);
      skin.push(Math.hypot(lab[0]! - lab[3]!, lab[1]! - lab[4]!, lab[2]! - lab[5]!));
    } else if (y >= HAIR_TOP && coverage > 0.05 && coverage < 0.95) {
      labAt(foreground, pixel, lab, 0);
      towards += lab[1]! * direction[0]! + lab[2]! * direction[1]!;
      deltaToWall += Math.hypot(lab[0]! - wallL, lab[1]! - wallA, lab[2]! - wallB);
      hairCount++;
    }
  }
  skin.sort((a, b) => a - b);
  return {
    hairTowardsWall: towards / hairCount, hairDeltaEToWall: deltaToWall / hairCount,
    skinMean: skin.reduce((sum, value) => sum + value, 0) / skin.length, skinP99: skin[Math.floor(skin.length * 0.99)]!, skinMax: skin.at(-1)!,
  };
}

export async function runSpillBench(sharedEngine?: Engine, strengths = [0, 0.25, 0.4, 0.6, 1]): Promise<void> {
  const engine = sharedEngine ?? createEngine();
  const installed = await engine.models.pickTiers('isnet-fp16');
  const image = await rgb(join(fixturesDir, 'portraits/lp_d9_blond_yellowwall.jpg'));
  const lowRes = await cachedLowResMatte(engine, image, { best: installed.best }, 'isnet-fp16');
  const defaults = defaultStillSettings().refinement;
  const run = (settings: Partial<RefinementSettings>) => refineCutout(image, lowRes, { ...defaults, ...settings }, {});
  const reference = await run({ spillStrength: 0 });
  const rows: Array<Array<string | number>> = [];
  for (const strength of strengths) {
    for (const skinProtection of [0, defaults.spillSkinProtection || 1]) {
      if (strength === 0 && skinProtection > 0) continue;
      const cutout = await run({ spillStrength: strength, spillSkinProtection: skinProtection });
      const figures = spillFigures(image, reference.alpha, reference.foreground, cutout.foreground);
      const isDefault = strength === defaults.spillStrength && skinProtection === defaults.spillSkinProtection;
      rows.push([`${strength}${isDefault ? ' (default)' : ''}`, skinProtection, figures.hairTowardsWall, figures.hairDeltaEToWall, figures.skinMean, figures.skinP99, figures.skinMax]);
    }
  }
  printTable(
    'Spill on lp_d9_blond_yellowwall (hair edge 0.05 < α < 0.95; skin = face and neck box, ΔE76 against spill off; Lab units)',
    ['strength', 'skin protection', 'hair chroma towards wall ↓', 'hair ΔE to wall ↑', 'skin ΔE mean', 'skin ΔE p99', 'skin ΔE max'],
    rows,
  );
  if (!sharedEngine) await engine.dispose();
}
