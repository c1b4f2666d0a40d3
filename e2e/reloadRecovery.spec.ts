// Reloading the web shell with unsaved work: the browser asks first (beforeunload), and after the reload the work is
// offered for recovery; Recover brings the stroke and the slider value back, as an unsaved project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialog, Page } from '@playwright/test';
import { alphaAt, openFixture, previewVersion, waitForPreview, waitForRepaint } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: reload recovery e2e skipped`);
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'The beforeunload prompt is the web shell’s (Electron’s window close is the engine autosave’s); the web project runs this spec.');
});

const portrait = 'portraits/st_people_0_longhair.png';

/** Paints an add stroke across picture pixels (30..50, 40), where the portrait's backdrop is background. */
async function paintStroke(page: Page): Promise<void> {
  const start = await page.evaluate(() => window.__matteStudioTest!.pictureToClient(30, 40));
  const end = await page.evaluate(() => window.__matteStudioTest!.pictureToClient(50, 40));
  const version = await previewVersion(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
  await waitForRepaint(page, version);
  expect(await alphaAt(page, 40, 40)).toBe(255);
}

test('reloading with unsaved work asks first, then offers the work and Recover restores it', async ({ studio: page }, testInfo) => {
  await openFixture(page, portrait);
  await waitForPreview(page);
  expect(await alphaAt(page, 40, 40)).toBeLessThan(20);
  await paintStroke(page);
  await page.getByTestId('slider-radiusPx').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('slider-radiusPx')).toHaveValue('0');
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');

  // The browser's "Leave site?" prompt: the spec accepts it, so the reload goes ahead.
  const dialogs: string[] = [];
  const accept = (dialog: Dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  };
  page.on('dialog', accept);
  await page.reload();
  page.off('dialog', accept);
  expect(dialogs).toEqual(['beforeunload']);

  // A fresh page: empty, with the recovery prompt.
  await expect(page.getByTestId('recovery-prompt')).toBeVisible();
  await expect(page.getByTestId('reload-recovery')).toContainText('1 item');
  await expect(page.getByTestId('library-item')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('reload-prompt.png') });
  await page.getByTestId('recover-reload').click();
  await expect(page.getByTestId('recovery-prompt')).toBeHidden();

  await expect(page.locator('[data-testid="library-item"][data-item-name="st_people_0_longhair.png"]')).toBeVisible();
  await waitForPreview(page);
  await expect.poll(() => alphaAt(page, 40, 40)).toBe(255);
  await expect(page.getByTestId('slider-radiusPx')).toHaveValue('0');
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('after a save the page reloads without asking and offers nothing', async ({ studio: page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'matte-e2e-reload-'));
  try {
    await openFixture(page, portrait);
    await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');
    await page.getByTestId('project-save-as').click();
    await page.getByTestId('project-path-input').fill(join(folder, 'saved.mattestudio'));
    await page.getByTestId('project-path-submit').click();
    await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    await expect(page.getByTestId('library-open')).toBeVisible();
    await expect(page.getByTestId('project-title')).toHaveText('Untitled');
    expect(dialogs).toEqual([]);
    await expect(page.getByTestId('recovery-prompt')).toHaveCount(0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
