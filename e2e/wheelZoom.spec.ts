// Ctrl+wheel zooms in proportion to the wheel: one notch is one step of 10–20 % (not the 70 % → 515 % jump users
// saw), a huge delta is still one step, and the picture point under the pointer stays under it.
import type { Page } from '@playwright/test';
import { openFixture, waitForPreview } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

const view = (page: Page) => page.evaluate(() => window.__matteStudioTest!.getView());

/** One Ctrl+wheel event at a client point; resolves with the view once the zoom changed. */
async function ctrlWheel(page: Page, at: { x: number; y: number }, deltaY: number): Promise<{ zoom: number; panX: number; panY: number }> {
  const before = await view(page);
  await page.mouse.move(at.x, at.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, deltaY);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await view(page)).zoom).not.toBe(before.zoom);
  return view(page);
}

test('Ctrl+wheel zooms one step per notch around the pointer', async ({ studio: page }) => {
  test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}`);
  await openFixture(page, 'portraits/st_people_0_longhair.png');
  await waitForPreview(page);
  const pictureAt = { x: 180, y: 260 };
  const pointer = await page.evaluate(([x, y]) => window.__matteStudioTest!.pictureToClient(x!, y!)!, [pictureAt.x, pictureAt.y]);
  const start = await view(page);

  const zoomedIn = await ctrlWheel(page, pointer, -100);
  expect(zoomedIn.zoom / start.zoom).toBeGreaterThanOrEqual(1.1);
  expect(zoomedIn.zoom / start.zoom).toBeLessThanOrEqual(1.2);
  // The picture point under the pointer stayed there.
  const under = await page.evaluate(([x, y]) => window.__matteStudioTest!.pictureToClient(x!, y!)!, [pictureAt.x, pictureAt.y]);
  expect(Math.abs(under.x - pointer.x)).toBeLessThan(1);
  expect(Math.abs(under.y - pointer.y)).toBeLessThan(1);

  // A huge delta (a fast free-spinning wheel, a high-DPI notch) is still one step.
  const huge = await ctrlWheel(page, pointer, -1000);
  expect(huge.zoom / zoomedIn.zoom).toBeLessThanOrEqual(1.2);

  const zoomedOut = await ctrlWheel(page, pointer, 100);
  expect(huge.zoom / zoomedOut.zoom).toBeGreaterThanOrEqual(1.1);
  expect(huge.zoom / zoomedOut.zoom).toBeLessThanOrEqual(1.2);
  await expect(page.getByTestId('zoom-level')).toHaveText(`${Math.round(zoomedOut.zoom * 100)}%`);
});
