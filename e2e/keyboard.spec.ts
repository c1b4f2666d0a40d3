// The still loop from the keyboard: dialogs take focus, trap Tab, close on Esc and give focus back; `?` shows the
// shortcut sheet built from the handlers' own table; F / Shift+F cycle the view modes; Alt held inverts the brush.
import type { Page } from '@playwright/test';
import { shortcutTable } from '../src/renderer/src/tools/shortcuts';
import { alphaAt, openFixture, previewVersion, waitForPreview, waitForRepaint } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

const isFocusInside = (page: Page, testId: string) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement) ?? false, testId);
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

test('a dialog takes focus, keeps Tab and Shift+Tab inside, closes on Esc and gives focus back', async ({ studio: page }) => {
  await page.getByTestId('library-open').click();
  await expect(page.getByTestId('open-dialog')).toBeVisible();
  expect(await isFocusInside(page, 'open-dialog')).toBe(true);
  const seen = new Set<string | null>();
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press('Tab');
    expect(await isFocusInside(page, 'open-dialog')).toBe(true);
    seen.add(await focusedTestId(page));
  }
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press('Shift+Tab');
    expect(await isFocusInside(page, 'open-dialog')).toBe(true);
  }
  // Tab did move: it visited several controls, all inside.
  expect(seen.size).toBeGreaterThan(2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('open-dialog')).toBeHidden();
  expect(await focusedTestId(page)).toBe('library-open');
});

test('? opens the shortcut sheet generated from the key table; Esc closes it', async ({ studio: page }, testInfo) => {
  await page.getByTestId('show-shortcuts').focus();
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await expect(sheet).toBeVisible();
  expect(await isFocusInside(page, 'shortcut-sheet')).toBe(true);
  const commands = [...new Set(shortcutTable.map((entry) => entry.command))];
  await expect(sheet.getByTestId('shortcut-row')).toHaveCount(commands.length);
  for (const command of commands) await expect(sheet.locator(`[data-command="${command}"]`)).toHaveCount(1);
  await expect(sheet.locator('[data-command="nextViewMode"] kbd')).toHaveText('F');
  await expect(sheet.locator('[data-command="invertBrushWhileHeld"]')).toContainText('Hold: paint with the opposite mode');
  await page.screenshot({ path: testInfo.outputPath('shortcut-sheet.png') });
  // Studio keys do not act behind the sheet.
  await page.keyboard.press('x');
  await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'add');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  expect(await focusedTestId(page)).toBe('show-shortcuts');
  // The tool bar's button opens it too.
  await page.getByTestId('show-shortcuts').click();
  await expect(sheet).toBeVisible();
  await page.getByTestId('shortcut-sheet-close').click();
  await expect(sheet).toBeHidden();
});

test('F and Shift+F cycle the view modes; Alt held paints with the opposite brush', async ({ studio: page }) => {
  test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}`);
  await openFixture(page, 'portraits/st_people_0_longhair.png');
  await waitForPreview(page);
  await page.getByTestId('tool-brush').focus();
  const checked = (mode: string) => expect(page.getByTestId(`view-mode-${mode}`)).toHaveAttribute('aria-checked', 'true');
  await checked('overlay');
  await page.keyboard.press('f');
  await checked('black');
  await page.keyboard.press('f');
  await checked('white');
  await page.keyboard.press('Shift+F');
  await page.keyboard.press('Shift+F');
  await checked('overlay');
  // Backwards from the first wraps to the last; without a background picture the picture mode is skipped.
  await page.keyboard.press('Shift+F');
  await checked('split');
  await page.keyboard.press('f');
  await checked('overlay');

  await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'add');
  await page.keyboard.down('Alt');
  await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'subtract');
  // A subtract stroke across the subject while Alt is held clears the matte there.
  const [x, y] = await findOpaquePixel(page);
  const start = await page.evaluate(([px, py]) => window.__matteStudioTest!.pictureToClient(px! - 10, py!), [x, y]);
  const end = await page.evaluate(([px, py]) => window.__matteStudioTest!.pictureToClient(px! + 10, py!), [x, y]);
  const version = await previewVersion(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
  await waitForRepaint(page, version);
  await page.keyboard.up('Alt');
  await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'add');
  expect(await alphaAt(page, x, y)).toBe(0);
});

/** A picture pixel the engine's matte holds fully opaque (the subject), searched on a coarse grid near the centre. */
async function findOpaquePixel(page: Page): Promise<[number, number]> {
  for (const [x, y] of [[237, 300], [237, 350], [237, 250], [200, 320], [270, 320], [237, 400], [200, 400], [270, 400], [237, 200], [237, 440]] as const) {
    if ((await alphaAt(page, x, y)) === 255) return [x, y];
  }
  throw new Error('no opaque subject pixel found near the centre');
}
