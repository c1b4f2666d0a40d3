// The batch dialog from the keyboard, its explicit settings source, and honest rows: a clip with no clip format
// ticked is reported "Skipped — no clip format chosen", never "Done".
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: batch dialog e2e skipped`);

const clipFormats = ['prores', 'prores-fast', 'webm', 'png-sequence', 'mp4'];

test('batch dialog: keyboard focus, explicit settings source, a clip without a clip format is skipped, not done', async ({ studio: page }, testInfo) => {
  test.setTimeout(300_000);
  const root = mkdtempSync(join(tmpdir(), 'matte-e2e-batch-dialog-'));
  const inDir = join(root, 'in');
  const outDir = join(root, 'out');
  try {
    mkdirSync(inDir);
    copyFileSync(join(fixturesDir, 'portraits', 'st_people_0_longhair.png'), join(inDir, 'a_still.png'));
    copyFileSync(join(fixturesDir, 'clips', 'lp_d19_plainwall.mp4'), join(inDir, 'b_clip.mp4'));
    await page.getByTestId('library-open').click();
    await page.getByTestId('open-path-input').fill(inDir);
    await page.getByTestId('open-path-submit').click();
    await expect(page.getByTestId('library-item')).toHaveCount(2);
    await page.locator('[data-testid="library-item"][data-item-name="a_still.png"]').click();

    // Keyboard: focus moves in, Tab stays in, Esc closes and focus returns to the button.
    await page.getByTestId('batch-open').click();
    const dialog = page.getByTestId('batch-dialog');
    await expect(dialog).toBeVisible();
    const isFocusInside = () => page.evaluate(() => document.querySelector('[data-testid="batch-dialog"]')!.contains(document.activeElement));
    expect(await isFocusInside()).toBe(true);
    for (let press = 0; press < 25; press++) {
      await page.keyboard.press('Tab');
      expect(await isFocusInside()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('batch-open');

    await page.getByTestId('batch-open').click();
    await expect(dialog).toBeVisible();
    // The settings source is a visible choice: the canvas item's settings by default, defaults one click away.
    await expect(page.getByTestId('batch-settings-active')).toBeChecked();
    await expect(page.getByTestId('batch-settings-source')).toContainText('Those of “a_still.png”');
    await page.getByTestId('batch-settings-defaults').check();
    await expect(page.getByTestId('batch-settings-source')).toHaveAttribute('data-source', 'defaults');

    await page.getByTestId('batch-format-png').check();
    for (const format of clipFormats) await page.getByTestId(`batch-format-${format}`).uncheck();
    await expect(page.getByTestId('batch-skip-note')).toHaveText('1 clip will be skipped: no clip format is ticked.');
    await page.getByTestId('batch-out-dir').fill(outDir);
    await page.screenshot({ path: testInfo.outputPath('batch-dialog.png') });
    await page.getByTestId('batch-run').click();
    await expect(page.getByTestId('batch-summary')).toBeVisible({ timeout: 240_000 });

    const still = page.locator('[data-testid="batch-row"][data-name="a_still.png"]');
    const clip = page.locator('[data-testid="batch-row"][data-name="b_clip.mp4"]');
    await expect(still).toHaveAttribute('data-status', 'done');
    await expect(clip).toHaveAttribute('data-status', 'skipped');
    await expect(clip.getByTestId('batch-row-status')).toHaveText('Skipped — no clip format chosen');
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual(['a_still.png']);
    await page.screenshot({ path: testInfo.outputPath('batch-rows.png') });
    // The Export button was disabled under the focus during the run: Escape must still close the dialog after it.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the empty library header shows its buttons whole (no clipped "Batch export…")', async ({ studio: page }) => {
  const button = page.getByTestId('batch-open');
  await expect(button).toBeVisible();
  const fits = await button.evaluate((element) => element.scrollWidth <= element.clientWidth && element.getBoundingClientRect().right <= element.closest('.library-panel')!.getBoundingClientRect().right + 0.5);
  expect(fits).toBe(true);
});
