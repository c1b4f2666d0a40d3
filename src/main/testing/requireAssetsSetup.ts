/**
 * vitest global setup: under `MATTE_STUDIO_REQUIRE_ASSETS=1` (CI), a missing fixture, model, ffmpeg or cv2 stops the
 * run before any test, listing what is missing, so CI can never pass by skipping. Locally nothing is required.
 */
import { join } from 'node:path';
import { appRoot } from '../environment';
import { findMissingTestAssets } from './checkTestAssets';

export default async function requireTestAssets(): Promise<void> {
  if (process.env.MATTE_STUDIO_REQUIRE_ASSETS !== '1') return;
  const root = appRoot();
  const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? join(root, '..', 'shared', 'fixtures');
  const missing = await findMissingTestAssets({ fixturesDir, bundledModelsDir: join(root, 'resources', 'models') });
  if (missing.length > 0) throw new Error(`Test assets missing (MATTE_STUDIO_REQUIRE_ASSETS=1):\n${missing.map(({ asset, reason }) => `  ${asset}: ${reason}`).join('\n')}`);
}
