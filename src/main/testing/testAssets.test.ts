import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findMissingTestAssets } from './checkTestAssets';
import { areAssetsRequired, MissingTestAssetError, testAssetAvailable } from './testAssets';

describe('test assets: skip locally with a message, fail in CI', () => {
  it('reads MATTE_STUDIO_REQUIRE_ASSETS', () => {
    expect(areAssetsRequired({})).toBe(false);
    expect(areAssetsRequired({ MATTE_STUDIO_REQUIRE_ASSETS: '0' })).toBe(false);
    expect(areAssetsRequired({ MATTE_STUDIO_REQUIRE_ASSETS: '1' })).toBe(true);
  });

  it('a present asset is available; a missing one warns once locally and throws under the variable', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(testAssetAvailable('cv2', true, 'never printed', { MATTE_STUDIO_REQUIRE_ASSETS: '1' })).toBe(true);
      expect(testAssetAvailable('cv2', false, 'cv2 missing here', {})).toBe(false);
      expect(testAssetAvailable('cv2', false, 'cv2 missing here', {})).toBe(false);
      expect(warn.mock.calls.filter(([line]) => String(line).includes('cv2 missing here'))).toHaveLength(1);
      expect(() => testAssetAvailable('models', false, 'no model', { MATTE_STUDIO_REQUIRE_ASSETS: '1' })).toThrow(MissingTestAssetError);
      expect(() => testAssetAvailable('models', false, 'no model', { MATTE_STUDIO_REQUIRE_ASSETS: '1' })).toThrow(/models.*no model.*fails instead of skipping/);
    } finally {
      warn.mockRestore();
    }
  });

  it('the CI preflight names missing fixtures and models', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-assets-'));
    const missing = await findMissingTestAssets({ fixturesDir: join(empty, 'fixtures'), bundledModelsDir: join(empty, 'models') });
    expect(missing.map((entry) => entry.asset)).toEqual(expect.arrayContaining(['fixtures', 'models']));
  });
});
