import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // CI (MATTE_STUDIO_REQUIRE_ASSETS=1): missing fixtures, models, ffmpeg or cv2 fail the run instead of skipping.
    // Every scratch folder of the run goes under one private TMPDIR, removed when the run ends.
    globalSetup: ['src/main/testing/requireAssetsSetup.ts', 'src/main/testing/privateTempFolderSetup.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores here and in CI: model inference already uses both, so more workers only thrash.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
