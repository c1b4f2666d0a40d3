import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (two levels above this file's folder). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The shared real-data fixtures, read in place (never copied into the project). */
export const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? resolve(projectRoot, '..', 'shared', 'fixtures');

/** Absolute path of a fixture, e.g. `fixture('portraits/u2_man5_curly_16x9.jpg')`. */
export function fixture(relativePath: string): string {
  return join(fixturesDir, relativePath);
}

/** True when the shared fixtures are present; tests that need them skip with {@link missingFixturesReason} otherwise. */
export const hasFixtures = existsSync(join(fixturesDir, 'MANIFEST.tsv'));

/** The message printed by tests skipped for lack of fixtures. */
export const missingFixturesReason = `shared fixtures not found at ${fixturesDir} (set MATTE_STUDIO_FIXTURES): skipping`;

/** The bundled model folder, provisioned by `npm install`. */
export const bundledModelsDir = join(projectRoot, 'resources', 'models');

/** True when `npm install` provisioned the bundled IS-Net models. */
export const hasBundledModels = existsSync(join(bundledModelsDir, 'manifest.json'));

/** The message printed by tests skipped for lack of the bundled model. */
export const missingModelsReason = `bundled model missing in ${bundledModelsDir} (run \`npm run provision-models\`): skipping`;
