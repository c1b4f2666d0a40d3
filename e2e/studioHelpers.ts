import { isAbsolute, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, fixturesDir } from './studioFixtures';

/** Opens a fixture (or a file at a full path) through the studio's Open dialog (the web shell's path field) and selects it. */
export async function openFixture(page: Page, relativePath: string): Promise<void> {
  const path = isAbsolute(relativePath) ? relativePath : join(fixturesDir, relativePath);
  const name = relativePath.split('/').pop()!;
  await page.getByTestId('library-open').click();
  await page.getByTestId('open-path-input').fill(path);
  await page.getByTestId('open-path-submit').click();
  const item = page.locator(`[data-testid="library-item"][data-item-name="${name}"]`);
  await expect(item).toBeVisible();
  await item.click();
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-item-name', name);
}

/** Waits until the preview on screen is the active item's current frame, and the matte is done. */
export async function waitForPreview(page: Page): Promise<void> {
  const status = page.getByTestId('status-line');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect
    .poll(async () => {
      const [itemId, frame, shown] = await Promise.all([status.getAttribute('data-item-id'), status.getAttribute('data-frame-index'), status.getAttribute('data-preview-frame')]);
      return shown === `${itemId}:${frame}`;
    }, { timeout: 120_000 })
    .toBe(true);
}

/** The preview repaint counter. */
export async function previewVersion(page: Page): Promise<number> {
  return Number(await page.getByTestId('status-line').getAttribute('data-preview-version'));
}

/** Waits for a repaint after `version`. */
export async function waitForRepaint(page: Page, version: number): Promise<void> {
  await expect.poll(() => previewVersion(page), { timeout: 120_000 }).toBeGreaterThan(version);
}

/** Composite alpha (engine + hand edits) at picture coordinates. */
export function alphaAt(page: Page, x: number, y: number): Promise<number> {
  return page.evaluate(([px, py]) => window.__matteStudioTest!.getAlphaAt(px!, py!), [x, y]);
}

/** A fingerprint of the composite: pixels sampled on a grid. */
export function previewSamples(page: Page, width: number, height: number, step = 6): Promise<number[]> {
  return page.evaluate(
    ([w, h, s]) => {
      const values: number[] = [];
      for (let y = 0; y < h!; y += s!) for (let x = 0; x < w!; x += s!) values.push(...(window.__matteStudioTest!.getPreviewPixel(x, y) ?? [-1, -1, -1, -1]));
      return values;
    },
    [width, height, step],
  );
}

declare global {
  interface Window {
    __matteStudioTest?: {
      getAlphaAt(x: number, y: number): number;
      getPreviewPixel(x: number, y: number): number[] | null;
      getPreviewVersion(): number;
      pictureToClient(x: number, y: number): { x: number; y: number };
    };
  }
}
