// The Models panel: every catalogue model with size, licence and a clear non-commercial mark; bundled models cannot be
// removed; Esc closes it. Installs come from a loopback mirror (MATTE_STUDIO_MODEL_MIRROR) into a private model folder:
// install, cancel halfway, resume with a Range request, remove — driven from the keyboard, with the picker following.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startLocalModelMirror, type LocalModelMirror } from './localModelMirror';
import { expect, test as studioTest } from './studioFixtures';

/** Stands in for BiRefNet general, whose catalogue entry has no published checksum, so any bytes install. */
const modelBody = randomBytes(2 * 1024 * 1024);

const test = studioTest.extend<{ mirror: LocalModelMirror }>({
  mirror: async ({}, use) => {
    const mirror = await startLocalModelMirror({ 'birefnet-general': modelBody });
    await use(mirror);
    await mirror.close();
  },
  // A private model folder, never the user's, and downloads from the mirror instead of the internet.
  studioEnvironment: async ({ mirror }, use) => {
    await use({ MATTE_STUDIO_MODEL_MIRROR: mirror.url, MATTE_STUDIO_MODELS_DIR: mkdtempSync(join(tmpdir(), 'matte-studio-e2e-models-')) });
  },
});

const row = (page: Page, id: string) => page.locator(`[data-testid="model-row"][data-model-id="${id}"]`);
const isFocusInside = (page: Page, testId: string) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement) ?? false, testId);
const pickerOption = (page: Page, id: string) => page.getByTestId('model-picker').locator(`option[value="${id}"]`);

async function openModelsPanel(page: Page): Promise<void> {
  await page.getByTestId('manage-models').click();
  await expect(page.getByTestId('models-dialog')).toBeVisible();
  await expect(page.getByTestId('model-list')).toBeVisible();
}

test('lists sizes and licences, marks non-commercial models, refuses to remove bundled ones, and closes on Esc', async ({ studio: page }, testInfo) => {
  await openModelsPanel(page);
  expect(await page.getByTestId('model-row').count()).toBeGreaterThanOrEqual(13);

  const rmbg2 = row(page, 'rmbg-2.0');
  await expect(rmbg2.getByTestId('model-non-commercial')).toHaveText('Non-commercial');
  await expect(rmbg2.getByTestId('model-licence')).toHaveText('CC-BY-NC-4.0');
  await expect(rmbg2.getByTestId('model-size')).toHaveText('1.02 GB');
  await expect(row(page, 'rmbg-1.4').getByTestId('model-non-commercial')).toBeVisible();
  const lite = row(page, 'birefnet-lite');
  await expect(lite.getByTestId('model-non-commercial')).toHaveCount(0);
  await expect(lite.getByTestId('model-licence')).toHaveText('MIT');
  await expect(lite.getByTestId('model-size')).toHaveText('224 MB');
  await expect(lite.getByTestId('model-action')).toHaveText('Install');
  await expect(row(page, 'birefnet-general').getByTestId('model-size')).toHaveText('~973 MB');

  // Bundled models ship with the app: their button is disabled (Remove where provisioned, Install where not).
  const bundled = row(page, 'isnet-fp32').getByTestId('model-action');
  await expect(bundled).toBeDisabled();
  if ((await row(page, 'isnet-fp32').getAttribute('data-state')) === 'installed') {
    await expect(bundled).toHaveText('Remove');
    await expect(bundled).toHaveAttribute('title', /cannot be removed/);
  }
  await page.screenshot({ path: testInfo.outputPath('models-panel.png') });

  // Keyboard: focus is inside and stays inside; Esc closes and gives focus back to the button that opened it.
  expect(await isFocusInside(page, 'models-dialog')).toBe(true);
  for (let press = 0; press < 30; press++) {
    await page.keyboard.press('Tab');
    expect(await isFocusInside(page, 'models-dialog')).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('models-dialog')).toBeHidden();
  await expect(page.getByTestId('manage-models')).toBeFocused();
});

test('installs from the mirror, cancels to a partial download, resumes it with a Range request, and removes it', async ({ studio: page, mirror }) => {
  await expect(pickerOption(page, 'birefnet-general')).toBeDisabled();
  await openModelsPanel(page);
  const general = row(page, 'birefnet-general');
  const action = general.getByTestId('model-action');
  const status = general.getByTestId('model-status');

  // Install from the keyboard; the mirror stalls halfway, so the download is still running when we cancel it.
  mirror.stallAfterHalf = true;
  await action.focus();
  await page.keyboard.press('Enter');
  await expect(general.getByTestId('model-progress')).toBeVisible();
  await expect(action).toHaveText('Cancel');
  await expect(status).toHaveText(/Downloading… [1-9]\d*%/);
  // The button kept focus as its label changed, so Enter now cancels.
  await expect(action).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(action).toHaveText('Resume');
  await expect(status).toHaveText('Partly downloaded (1.05 MB of ~973 MB)');
  await expect(general.getByTestId('model-progress')).toHaveCount(0);
  await expect(general.getByTestId('model-failure')).toHaveCount(0);
  await expect(pickerOption(page, 'birefnet-general')).toBeDisabled();

  // Resume continues from the partial file.
  mirror.stallAfterHalf = false;
  await action.click();
  await expect(status).toHaveText('Installed');
  expect(mirror.requests.map((request) => request.range ?? null)).toEqual([null, `bytes=${modelBody.length / 2}-`]);
  await expect(general.getByTestId('model-size')).toHaveText('2.10 MB');
  await expect(action).toHaveText('Remove');
  await expect(pickerOption(page, 'birefnet-general')).toBeEnabled();

  // Remove asks first; Keep leaves it; Remove deletes it and the picker greys it out again.
  await action.click();
  await page.getByTestId('model-keep').click();
  await expect(status).toHaveText('Installed');
  await expect(action).toBeFocused();
  await action.click();
  await general.getByTestId('model-confirm-remove').click();
  await expect(status).toHaveText('Not installed');
  await expect(action).toHaveText('Install');
  await expect(pickerOption(page, 'birefnet-general')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('models-dialog')).toBeHidden();
});
