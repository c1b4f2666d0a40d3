import { openFixture } from './studioHelpers';
import { expect, hasFixtures, test } from './studioFixtures';

declare global {
  interface Window {
    __layoutProbe?: { stageSizes: string[]; mostJobs: number };
  }
}

// A preview job coming and going in the jobs bar on every frame step used to change the bar's height, which resized
// the canvas twice per step (each resize reallocates every canvas layer: scrubbing took 300–450 ms a frame).
test('the canvas keeps its size while jobs come and go in the jobs bar', async ({ studio }) => {
  test.skip(!hasFixtures, 'shared fixtures not found (set MATTE_STUDIO_FIXTURES): skipping');
  test.setTimeout(180_000);
  await openFixture(studio, 'clips/lp_d19_plainwall.mp4');
  // The clip's background pass is one job; stepping frames adds the frame's preview job beside it.
  await expect(studio.locator('[data-testid="job-progress"]', { hasText: 'in the background' })).toBeVisible();
  await expect(studio.getByTestId('timeline-frame')).toBeVisible(); // a clip's timeline takes its place below the canvas first
  await studio.evaluate(() => {
    const stage = document.querySelector('[data-testid="canvas-stage"]')!;
    const probe = { stageSizes: [] as string[], mostJobs: 0 };
    window.__layoutProbe = probe;
    new ResizeObserver(() => probe.stageSizes.push(`${stage.clientWidth}×${stage.clientHeight}`)).observe(stage);
    const countJobs = () => (probe.mostJobs = Math.max(probe.mostJobs, document.querySelectorAll('[data-testid="job-progress"]').length));
    new MutationObserver(countJobs).observe(document.body, { childList: true, subtree: true });
  });
  await studio.locator('body').click({ position: { x: 5, y: 5 } });
  for (let step = 1; step <= 3; step++) {
    await studio.keyboard.press('ArrowRight');
    await expect(studio.getByTestId('timeline-frame')).toHaveText(String(step));
    await studio.waitForTimeout(400);
  }
  await expect.poll(() => studio.evaluate(() => window.__layoutProbe!.mostJobs), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const sizes = await studio.evaluate(() => window.__layoutProbe!.stageSizes);
  expect(new Set(sizes).size, `canvas sizes seen: ${sizes.join(', ')}`).toBe(1);
});

// At 1024 px the project buttons slid under the brush controls (and at 800 px undo, redo and zoom left the window).
test('tool-bar controls never overlap, and each can be reached, in narrow windows', async ({ studio }) => {
  for (const size of [{ width: 1024, height: 640 }, { width: 800, height: 560 }]) {
    await studio.setViewportSize(size);
    const boxes = await studio.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.tool-bar button, .tool-bar .range-field, .tool-bar .project-title, .tool-bar .zoom-level')]
        .filter((element) => element.getClientRects().length > 0)
        .map((element) => {
          const rect = element.getBoundingClientRect();
          return { name: element.dataset.testid ?? element.className, left: rect.left + document.querySelector('.tool-bar')!.scrollLeft, right: rect.right + document.querySelector('.tool-bar')!.scrollLeft };
        }),
    );
    expect(boxes.length).toBeGreaterThan(10);
    const overlaps = boxes.flatMap((a, index) => boxes.slice(index + 1).filter((b) => a.left < b.right - 0.5 && b.left < a.right - 0.5).map((b) => `${a.name} / ${b.name}`));
    expect(overlaps, `at ${size.width}×${size.height}`).toEqual([]);
    await studio.getByTestId('show-shortcuts').scrollIntoViewIfNeeded();
    await expect(studio.getByTestId('show-shortcuts')).toBeInViewport();
    await expect(studio.getByTestId('undo')).toBeAttached();
  }
});
