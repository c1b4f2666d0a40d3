import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: batch e2e skipped`);

const portrait = join(fixturesDir, 'portraits', 'st_people_0_longhair.png');
const hopper = join(fixturesDir, 'portraits', 'deb_grace_hopper.jpg');
const largerPicture = join(fixturesDir, 'portraits', 'u2_man5_curly_16x9.jpg');

/** Opens a folder through the web shell's Open dialog and waits for its items in the library. */
async function openFolder(page: Page, folder: string, count: number): Promise<void> {
  await page.getByTestId('library-open').click();
  await page.getByTestId('open-path-input').fill(folder);
  await page.getByTestId('open-path-submit').click();
  await expect(page.getByTestId('library-item')).toHaveCount(count);
}

const summary = (page: Page) => page.getByTestId('batch-summary');
const files = (folder: string) => (existsSync(folder) ? readdirSync(folder).sort() : []);
const temporaryNames = (folder: string) => files(folder).filter((name) => name.startsWith('.') || name.includes('.partial'));

test('batch export: trial, run with a failure, cancel mid-way, retry failed', async ({ studio }, testInfo) => {
  test.setTimeout(300_000);
  const root = mkdtempSync(join(tmpdir(), 'matte-e2e-batch-'));
  const inDir = join(root, 'in');
  const outDir = join(root, 'out');
  try {
    // Three items in name order: a picture that opens fine and is then damaged on disk (a truncated file is refused
    // when opened, so the damage comes after), and two small portraits.
    const broken = join(inDir, 'a_broken.png');
    mkdirSync(inDir);
    copyFileSync(portrait, broken);
    copyFileSync(portrait, join(inDir, 'b_longhair.png'));
    copyFileSync(hopper, join(inDir, 'c_hopper.jpg'));
    await openFolder(studio, inDir, 3);
    writeFileSync(broken, readFileSync(portrait).subarray(0, 2000));
    // Let the library's own background matting finish first, so the batch does not share the engine with it (the
    // damaged picture may have been matted before the damage, or have failed after it).
    await expect(studio.getByTestId('library-summary')).toHaveText(/^3 items · (3 done|2 done · 1 failed)$/, { timeout: 120_000 });

    await studio.getByTestId('batch-open').click();
    const dialog = studio.getByTestId('batch-dialog');
    await expect(dialog).toBeVisible();
    await expect(studio.getByTestId('batch-scope-all')).toBeChecked();
    await expect(studio.getByTestId('batch-format-png')).toBeChecked();
    await studio.getByTestId('batch-format-webp').check();
    await studio.getByTestId('batch-out-dir').fill(outDir);

    // A bad template is explained and blocks the run; a good one shows the exact names.
    const template = studio.getByTestId('batch-name-template');
    await template.fill('{name}-{size}');
    await expect(studio.getByTestId('batch-name-problem')).toContainText('{size}');
    await expect(studio.getByTestId('batch-run')).toBeDisabled();
    await template.fill('{index}-{name}');
    await expect(studio.getByTestId('batch-name-problem')).toHaveCount(0);
    await expect(studio.getByTestId('batch-example-item')).toHaveText(['1-a_broken.png, 1-a_broken.webp', '2-b_longhair.png, 2-b_longhair.webp', '3-c_hopper.png, 3-c_hopper.webp']);
    await expect(studio.getByTestId('batch-run')).toBeEnabled();
    await expect(studio.getByTestId('batch-run')).toHaveText('Export 3 items');

    // Trial: the first 3 items into a temporary folder, shown as thumbnails; nothing lands in the output folder.
    await studio.getByTestId('batch-try').click();
    await expect(summary(studio)).toHaveAttribute('data-mode', 'trial', { timeout: 120_000 });
    await expect(summary(studio)).toHaveAttribute('data-written', '4');
    await expect(summary(studio)).toHaveAttribute('data-failed', '1');
    const thumbs = studio.getByTestId('batch-trial-thumb');
    await expect(thumbs).toHaveCount(4);
    await expect.poll(() => thumbs.evaluateAll((images) => images.every((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0))).toBe(true);
    await expect(studio.getByTestId('batch-failure')).toContainText('a_broken.png');
    expect(existsSync(outDir)).toBe(false);
    await thumbs.last().scrollIntoViewIfNeeded();
    await dialog.screenshot({ path: testInfo.outputPath('1-trial.png') });

    // The whole batch: two formats for the good items, the bad one fails alone with its reason. Every time-left text
    // it shows is recorded as it appears: with its mattes cached the batch runs in well under a second, too briefly
    // for polling the page to be sure of seeing it.
    await studio.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __etaTexts: string[] }).__etaTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="batch-eta"]')?.textContent ?? '';
        if (text !== '') seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await studio.getByTestId('batch-run').click();
    await expect(summary(studio)).toHaveAttribute('data-mode', 'full', { timeout: 120_000 });
    const etaTexts = await studio.evaluate(() => (window as unknown as { __etaTexts: string[] }).__etaTexts);
    expect(etaTexts.some((text) => /s left|min left|almost done/.test(text))).toBe(true);
    await expect(summary(studio)).toHaveAttribute('data-written', '4');
    await expect(summary(studio)).toHaveAttribute('data-failed', '1');
    await expect(summary(studio)).toHaveAttribute('data-cancelled', 'false');
    await expect(studio.getByTestId('batch-output-folder')).toHaveText(outDir);
    expect(files(outDir)).toEqual(['2-b_longhair.png', '2-b_longhair.webp', '3-c_hopper.png', '3-c_hopper.webp']);
    for (const name of ['2-b_longhair.png', '3-c_hopper.webp']) {
      const { data, info } = await sharp(join(outDir, name)).raw().toBuffer({ resolveWithObject: true });
      expect(info.channels).toBe(4);
      const alphas = new Set(Array.from({ length: info.width * info.height }, (_, pixel) => data[pixel * 4 + 3]));
      expect(alphas.has(0) && alphas.has(255)).toBe(true);
    }
    await expect(studio.getByTestId('batch-row')).toHaveCount(3);
    await expect(studio.locator('[data-testid="batch-row"][data-name="a_broken.png"]')).toHaveAttribute('data-status', 'failed');
    await expect(studio.getByTestId('batch-scope-failed').locator('..')).toContainText('(1)');
    // The names preview asks again after a run: the next run adds -2 rather than overwriting.
    await expect(studio.getByTestId('batch-example-item').nth(1)).toHaveText('2-b_longhair-2.png, 2-b_longhair-2.webp');
    await dialog.screenshot({ path: testInfo.outputPath('2-done.png') });

    // Again (new names get -2), cancelled as soon as it starts: no partial file anywhere. With every matte cached and
    // every edge band remembered, the run above took half a second; c_hopper.jpg is replaced on disk by a larger
    // picture, so its old matte must not be used (the file changed) and the model has to run: long enough to cancel.
    copyFileSync(largerPicture, join(inDir, 'c_hopper.jpg'));
    await studio.getByTestId('batch-run').click();
    // Cancelled once c_hopper is under way, so a_broken has failed again first: a cancel that landed before the first
    // item (0.1 s into the run, seen once) left every item cancelled and nothing for "Retry failed" below.
    await expect(studio.locator('[data-testid="batch-row"][data-name="c_hopper.jpg"]')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await expect(studio.locator('[data-testid="batch-row"][data-name="a_broken.png"]')).toHaveAttribute('data-status', 'failed');
    await studio.getByTestId('batch-cancel').click();
    await expect(summary(studio)).toHaveAttribute('data-cancelled', 'true', { timeout: 60_000 });
    await expect(summary(studio)).toContainText('Cancelled after');
    await expect(studio.locator('[data-testid="batch-row"][data-name="c_hopper.jpg"]')).toHaveAttribute('data-status', 'cancelled');
    expect(temporaryNames(outDir)).toEqual([]);
    expect(files(outDir).filter((name) => name.startsWith('3-c_hopper-2'))).toEqual([]);
    expect(files(outDir).length).toBe(4 + Number(await summary(studio).getAttribute('data-written')));
    await dialog.screenshot({ path: testInfo.outputPath('3-cancelled.png') });

    // The broken picture is repaired on disk; "Retry failed" runs only it, with the same names and formats.
    copyFileSync(portrait, broken);
    const retry = studio.getByTestId('batch-retry');
    await expect(retry).toHaveText('Retry failed (1)');
    await retry.click();
    await expect(summary(studio)).toHaveAttribute('data-mode', 'retry', { timeout: 120_000 });
    await expect(summary(studio)).toHaveAttribute('data-written', '2');
    await expect(summary(studio)).toHaveAttribute('data-failed', '0');
    await expect(studio.getByTestId('batch-row')).toHaveCount(1);
    expect(files(outDir)).toEqual(expect.arrayContaining(['1-a_broken.png', '1-a_broken.webp']));
    expect((await sharp(join(outDir, '1-a_broken.webp')).metadata()).hasAlpha).toBe(true);
    expect(temporaryNames(outDir)).toEqual([]);
    await expect(retry).toHaveCount(0);
    await dialog.screenshot({ path: testInfo.outputPath('4-retried.png') });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
