/**
 * CI preflight (`.ci/run`): checks every asset the suite needs — the shared fixtures, the bundled model, ffmpeg and
 * ffprobe, Python's cv2 and numpy — and exits 1 listing what is missing, so a CI run can never pass by skipping.
 * Run with `npx tsx src/main/testing/checkTestAssets.ts`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFfmpeg } from '../media/resolveFfmpeg';
import { probeCv2, type TestAsset } from './testAssets';

/** Each asset and the reason it is missing, or nothing when all are present. */
export async function findMissingTestAssets(locations: { fixturesDir: string; bundledModelsDir: string }): Promise<Array<{ asset: TestAsset; reason: string }>> {
  const missing: Array<{ asset: TestAsset; reason: string }> = [];
  if (!existsSync(join(locations.fixturesDir, 'MANIFEST.tsv'))) missing.push({ asset: 'fixtures', reason: `no MANIFEST.tsv in ${locations.fixturesDir}` });
  if (!existsSync(join(locations.bundledModelsDir, 'manifest.json'))) missing.push({ asset: 'models', reason: `no manifest.json in ${locations.bundledModelsDir}` });
  const ffmpeg = await resolveFfmpeg().then(() => undefined, (error: unknown) => String(error));
  if (ffmpeg !== undefined) missing.push({ asset: 'ffmpeg', reason: ffmpeg });
  if (!probeCv2()) missing.push({ asset: 'cv2', reason: '/usr/bin/python3 cannot import cv2 and numpy' });
  return missing;
}

if (process.argv[1] && /checkTestAssets\.[cm]?[jt]s$/.test(process.argv[1])) {
  // The same locations as fixtures.ts, which cannot be imported here: it applies the require-assets rule at import.
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? resolve(projectRoot, '..', 'shared', 'fixtures');
  const bundledModelsDir = join(projectRoot, 'resources', 'models');
  const missing = await findMissingTestAssets({ fixturesDir, bundledModelsDir });
  for (const { asset, reason } of missing) console.error(`missing test asset ${asset}: ${reason}`);
  if (missing.length === 0) console.log('test assets: fixtures, models, ffmpeg, cv2 present');
  process.exitCode = missing.length === 0 ? 0 : 1;
}
