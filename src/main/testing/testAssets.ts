/**
 * The one place tests decide to skip for a missing asset (fixtures, the bundled model, ffmpeg, Python's cv2).
 * Locally a missing asset skips the tests that need it, with one printed reason per asset. In CI `.ci/run` sets
 * `MATTE_STUDIO_REQUIRE_ASSETS=1`: a missing asset then fails the test file that asked for it (and `.ci/run`'s
 * preflight, `checkTestAssets.ts`, fails before the suite), so nothing is skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The assets tests may need. */
export type TestAsset = 'fixtures' | 'models' | 'ffmpeg' | 'cv2';

/** The variable under which a missing asset is an error. */
export const requireAssetsVariable = 'MATTE_STUDIO_REQUIRE_ASSETS';

/** True when missing assets must fail the run (CI). */
export function areAssetsRequired(environment: NodeJS.ProcessEnv = process.env): boolean {
  const value = environment[requireAssetsVariable];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** A test asset was required (CI) but is missing. */
export class MissingTestAssetError extends Error {
  constructor(readonly asset: TestAsset, reason: string) {
    super(`Required test asset missing (${asset}): ${reason}. ${requireAssetsVariable} is set, so this fails instead of skipping.`);
    this.name = 'MissingTestAssetError';
  }
}

const warned = new Set<TestAsset>();

/**
 * Returns `isPresent`. When the asset is missing: throws {@link MissingTestAssetError} under
 * `MATTE_STUDIO_REQUIRE_ASSETS`, else prints `reason` once per asset and returns false (callers `skipIf(!…)`).
 */
export function testAssetAvailable(asset: TestAsset, isPresent: boolean, reason: string, environment: NodeJS.ProcessEnv = process.env): boolean {
  if (isPresent) return true;
  if (areAssetsRequired(environment)) throw new MissingTestAssetError(asset, reason);
  if (!warned.has(asset)) {
    warned.add(asset);
    console.warn(`[skip] ${reason}`);
  }
  return false;
}

/** The Python the reference checks use. */
export const referencePython = '/usr/bin/python3';

/** True when `/usr/bin/python3` imports cv2 and numpy (the reference checks of the kernels). */
export function probeCv2(): boolean {
  return existsSync(referencePython) && spawnSync(referencePython, ['-c', 'import cv2, numpy']).status === 0;
}

/** The message printed when cv2 is missing. */
export const missingCv2Reason = `${referencePython} lacks cv2 or numpy (apt-get install python3-opencv python3-numpy): skipping the reference checks`;
