import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testAssetAvailable } from './testAssets';

/** Project root (two levels above this file's folder). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The shared real-data fixtures, read in place (never copied into the project). */
export const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? resolve(projectRoot, '..', 'shared', 'fixtures');

/** Absolute path of a fixture, e.g. `fixture('portraits/u2_man5_curly_16x9.jpg')`. */
export function fixture(relativePath: string): string {
  return join(fixturesDir, relativePath);
}

/** The message printed by tests skipped for lack of fixtures. */
export const missingFixturesReason = `shared fixtures not found at ${fixturesDir} (set MATTE_STUDIO_FIXTURES): skipping`;

/**
 * True when the shared fixtures are present; tests that need them skip with {@link missingFixturesReason} otherwise
 * (through `testAssets.ts`: under `MATTE_STUDIO_REQUIRE_ASSETS=1` their absence fails instead).
 */
export const hasFixtures = testAssetAvailable('fixtures', existsSync(join(fixturesDir, 'MANIFEST.tsv')), missingFixturesReason);

/** The bundled model folder, provisioned by `npm install`. */
export const bundledModelsDir = join(projectRoot, 'resources', 'models');

/** The message printed by tests skipped for lack of the bundled model. */
export const missingModelsReason = `bundled model missing in ${bundledModelsDir} (run \`npm run provision-models\`): skipping`;

/** True when `npm install` provisioned the bundled IS-Net models (missing: skip locally, fail in CI, as above). */
export const hasBundledModels = testAssetAvailable('models', existsSync(join(bundledModelsDir, 'manifest.json')), missingModelsReason);
