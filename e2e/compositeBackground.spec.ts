import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openFixture, waitForPreview } from './studioHelpers';
import type { Page } from '@playwright/test';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: studio e2e skipped`);

/** The first frame's top-left pixel of a video, decoded by ffmpeg. */
function cornerPixel(video: string): number[] {
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-frames:v', '1', '-vf', 'crop=4:4:0:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 20 });
  return [...rgb.subarray(0, 3)];
}

test('an MP4 composite is laid over the picture the "On picture" view shows', async ({ studio }, testInfo) => {
  const folder = mkdtempSync(join(tmpdir(), 'composite-background-'));
  // Two frames of a portrait whose white backdrop's top-left corner is background.
  const clip = join(folder, 'portrait clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-loop', '1', '-i', join(fixturesDir, 'portraits', 'st_people_0_longhair.png'), '-frames:v', '2', '-r', '25', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', clip]);
  const picture = join(folder, 'red backdrop.png');
  await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 220, g: 20, b: 20 } } }).png().toFile(picture);
  await openFixture(studio, clip);
  await waitForPreview(studio);

  await studio.getByTestId('export-format').selectOption('mp4');
  // The Export panel says what the composite is laid over: the view's colour until a picture is shown.
  await expect(studio.getByTestId('export-composite-background')).toContainText('#00b140');
  await studio.getByTestId('view-mode-image').click();
  await studio.getByTestId('view-background-image').setInputFiles(picture);
  await expect(studio.getByTestId('export-composite-background')).toContainText('the picture “red backdrop.png”');

  const out = join(folder, 'out');
  await studio.getByTestId('export-output-dir').fill(out);
  await studio.getByTestId('export-button').click();
  await expect(studio.locator('[data-testid="notice"]', { hasText: 'Exported “portrait clip.mp4”' })).toBeVisible({ timeout: 120_000 });
  const [red, green, blue] = cornerPixel(join(out, readdirSync(out).find((name) => name.endsWith('.mp4'))!));
  expect(red).toBeGreaterThan(180);
  expect(Math.max(green!, blue!)).toBeLessThan(60);

  // The picture is part of the project: a fresh page that opens the saved project shows it again. Web shell only:
  // Electron saves through the system dialog and has no second page (project.spec.ts skips it for the same reason).
  if (testInfo.project.name !== 'electron') await reopenShowsPicture(studio, join(folder, 'pictured.mattestudio'));

  // A picture too large to send as it is (random noise: a PNG of ~27 MB) goes re-encoded, and is taken.
  const noisy = join(folder, 'noisy.png');
  const noise = randomBytes(3000 * 3000 * 3);
  await sharp(noise, { raw: { width: 3000, height: 3000, channels: 3 } }).png({ compressionLevel: 1 }).toFile(noisy);
  await studio.getByTestId('view-background-image').setInputFiles(noisy);
  await expect(studio.getByTestId('export-composite-background')).toContainText('the picture “noisy.png”');
  await expect(studio.locator('[data-testid="notice"][data-tone="error"]')).toHaveCount(0);

  // Another view mode: the composite goes back to the colour.
  await studio.getByTestId('view-mode-checker').click();
  await expect(studio.getByTestId('export-composite-background')).toContainText('#00b140');
});

/** Saves the project, opens it in a fresh page of the same web shell, and checks the picture came back with it. */
async function reopenShowsPicture(studio: Page, projectPath: string): Promise<void> {
  await studio.getByTestId('project-save-as').click();
  await studio.getByTestId('project-path-input').fill(projectPath);
  await studio.getByTestId('project-path-submit').click();
  await expect(studio.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
  const fresh = await studio.context().browser()!.newPage({ viewport: { width: 1440, height: 900 } });
  await fresh.goto(studio.url());
  await fresh.getByTestId('project-open').click();
  await fresh.getByTestId('project-path-input').fill(projectPath);
  await fresh.getByTestId('project-path-submit').click();
  await expect(fresh.getByTestId('library-item')).toHaveCount(1);
  await expect(fresh.getByTestId('view-mode-image')).toHaveAttribute('aria-checked', 'true');
  await fresh.getByTestId('export-format').selectOption('mp4');
  await expect(fresh.getByTestId('export-composite-background')).toContainText('the picture “red backdrop.png”');
  await expect(fresh.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
  await expect(fresh.locator('[data-testid="notice"][data-tone="warning"]')).toHaveCount(0);
  await fresh.close();
}
