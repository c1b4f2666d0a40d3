import { defineConfig } from '@playwright/test';

// e2e specs drive the web shell in Debian's Chromium (never `playwright install`), and the same specs drive the
// Electron app through _electron.launch where an Electron binary exists (see e2e/studioFixtures.ts).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/globalSetup.ts',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: 'test-results/e2e-report', open: 'never' }]],
  outputDir: 'test-results/e2e',
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
  projects: [
    { name: 'web', metadata: { shell: 'web' } },
    { name: 'electron', metadata: { shell: 'electron' } },
  ],
});
