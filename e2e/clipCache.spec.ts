import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alphaAt, openFixture } from './studioHelpers';
import { expect, hasFixtures, test } from './studioFixtures';

// A private matte cache for the web shell this spec starts (it inherits the environment), so every run starts cold.
// The specs after it in this worker inherit it too, so it goes when the worker exits (some 200 MB of mattes and
// proxy frames by then).
const cacheDir = mkdtempSync(join(tmpdir(), 'matte-studio-e2e-cache-'));
process.env.MATTE_STUDIO_CACHE_DIR = cacheDir;
process.once('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

test('a clip is matted in the background; scrubbing shows the matte of every matted frame at once', async ({ studio }) => {
  test.skip(!hasFixtures, 'shared fixtures not found (set MATTE_STUDIO_FIXTURES): skipping');
  test.setTimeout(420_000);
  // The refined previews are refused, so a matte on screen for a scrubbed frame can only be its scrub layer (the
  // cached matte the background pass made), not a preview computed after the playhead rested.
  await studio.route('**/media/preview/**', (route) => route.abort());
  await openFixture(studio, 'clips/lp_d19_plainwall.mp4');
  const coverage = studio.getByTestId('timeline-matte-coverage');
  await expect(coverage).toBeVisible();
  const matted = async () => Number(await coverage.getAttribute('data-matted-frames'));
  await expect.poll(matted, { timeout: 360_000 }).toBeGreaterThanOrEqual(3);
  const span = coverage.locator('.timeline-coverage-span').first();
  expect(Number(await span.getAttribute('data-start'))).toBe(0);
  const target = Math.min(Number(await span.getAttribute('data-end')) - 1, 2);
  expect(target).toBeGreaterThanOrEqual(1);

  // The background pass is a job with progress and Cancel.
  const job = studio.locator('[data-testid="job-progress"]', { hasText: 'in the background' });
  await expect(job).toBeVisible();

  await studio.locator('body').click({ position: { x: 5, y: 5 } });
  for (let step = 0; step < target; step++) await studio.keyboard.press('ArrowRight');
  await expect(studio.getByTestId('timeline-frame')).toHaveText(String(target));
  const status = studio.getByTestId('status-line');
  const itemId = await status.getAttribute('data-item-id');
  await expect(status).toHaveAttribute('data-preview-frame', `${itemId}:${target}`);
  // Plain grey wall in the top corners, the person in the lower middle (480×480 clip).
  expect(await alphaAt(studio, 12, 12)).toBeLessThan(60);
  expect(await alphaAt(studio, 240, 420)).toBeGreaterThan(200);
  // The layer was decoded in the scrub-layer worker, off the page's thread (the page decodes only where none can run).
  expect(await studio.evaluate(() => window.__matteStudioTest!.getScrubLayerDecodePath())).toBe('worker');
  // Overlay mode (the default) tints the background over the raw frame, and leaves the person untinted.
  const tint = (x: number, y: number) => studio.evaluate(([px, py]) => window.__matteStudioTest!.getPreviewPixel(px!, py!)?.[3] ?? -1, [x, y]);
  expect(await tint(12, 12)).toBeGreaterThan(40);
  expect(await tint(240, 420)).toBeLessThan(40);

  await job.getByTestId('job-cancel').click();
  await expect(coverage).toHaveAttribute('data-state', 'cancelled');
  await expect(job).toHaveCount(0);
  const mattedWhenStopped = await matted();
  expect(mattedWhenStopped).toBeGreaterThanOrEqual(3);

  // The library tells a clip matted only in part from a finished one, and the timeline offers to resume its pass.
  const cell = studio.getByTestId('library-item').filter({ hasText: 'lp_d19_plainwall.mp4' });
  await expect(cell).toHaveAttribute('data-pass', 'stopped');
  await expect(cell.getByTestId('library-item-status')).toHaveAttribute('aria-label', 'Partly matted');
  await expect(studio.getByTestId('library-summary')).toHaveText('1 item · 0 done · 1 partly matted');
  await expect(cell).toHaveAttribute('title', /Background matting stopped: \d+ of 250 frames matted/);
  const resume = studio.getByTestId('timeline-resume-matting');
  await resume.click();
  await expect(resume).toHaveCount(0);
  await expect(job).toBeVisible();
  await expect(cell).toHaveAttribute('data-pass', 'running');
  await expect(studio.getByTestId('library-summary')).toHaveText('1 item · 1 done');
  // It goes on from the frames it had, not from nothing.
  await expect.poll(matted, { timeout: 120_000 }).toBeGreaterThan(mattedWhenStopped);
  // Enough for the playback and stepping checks below.
  await expect.poll(matted, { timeout: 120_000 }).toBeGreaterThanOrEqual(12);
  expect(Number(await coverage.locator('.timeline-coverage-span').first().getAttribute('data-start'))).toBe(0);
  await job.getByTestId('job-cancel').click();
  await expect(coverage).toHaveAttribute('data-state', 'cancelled');

  // Stepping faster than the frames load, on a busy machine: a frame's scrub layer may arrive before its picture. Its
  // matte must never sit over the previous frame's picture. The pictures are held back here so the layers win.
  const stage = studio.getByTestId('canvas-stage');
  const mattedSpan = Number(await coverage.locator('.timeline-coverage-span').first().getAttribute('data-end'));
  await studio.locator('body').click({ position: { x: 5, y: 5 } });
  await studio.route('**/media/frame/**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue().catch(() => undefined); // the page may have dropped the request meanwhile
  });
  await studio.keyboard.press('Home');
  await expect(stage).toHaveAttribute('data-shown-mask', 'frame 0 of lp_d19_plainwall.mp4');
  await studio.evaluate(() => {
    const state = { samples: [] as Array<{ shown: string; mask: string }>, isDone: false };
    (window as unknown as { __stepping: typeof state }).__stepping = state;
    const stageElement = document.querySelector('[data-testid="canvas-stage"]')!;
    const tick = () => {
      state.samples.push({ shown: stageElement.getAttribute('data-shown-media') ?? '', mask: stageElement.getAttribute('data-shown-mask') ?? '' });
      if (!state.isDone) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // A jump on the timeline past the frames read ahead at rest, then steps: the layers load after the jump.
  const track = studio.getByTestId('timeline-track');
  const box = (await track.boundingBox())!;
  await track.click({ position: { x: (box.width * (mattedSpan - 3)) / 249, y: box.height / 2 } });
  const jumpedTo = Number(await status.getAttribute('data-frame-index'));
  expect(jumpedTo).toBeGreaterThan(4);
  await studio.locator('body').click({ position: { x: 5, y: 5 } });
  for (let step = 0; step < 2; step++) await studio.keyboard.press('ArrowRight');
  const lastStep = jumpedTo + 2;
  expect(lastStep).toBeLessThan(mattedSpan);
  await expect(stage).toHaveAttribute('data-shown-mask', `frame ${lastStep} of lp_d19_plainwall.mp4`, { timeout: 15_000 });
  await expect(stage).toHaveAttribute('data-shown-media', `frame ${lastStep} of lp_d19_plainwall.mp4`);
  const stepping = await studio.evaluate(() => {
    const state = (window as unknown as { __stepping: { samples: Array<{ shown: string; mask: string }>; isDone: boolean } }).__stepping;
    state.isDone = true;
    return state.samples;
  });
  await studio.unroute('**/media/frame/**');
  expect(stepping.length).toBeGreaterThan(10);
  expect(stepping.filter((sample) => sample.mask !== '' && sample.mask !== sample.shown)).toEqual([]);

  // Playback from frame 0 through the matted span: the matte on screen is always the shown picture's own (a frame
  // whose layer is late keeps the last matted frame up, picture and matte together), never another frame's.
  await studio.keyboard.press('Home');
  await expect(status).toHaveAttribute('data-preview-frame', `${itemId}:0`);
  // As an artist rewinds and then plays: at rest, the frames after the playhead are loaded.
  await studio.waitForTimeout(600);
  await studio.keyboard.press('Space');
  const samples = await studio.evaluate(async (playMs) => {
    const line = document.querySelector('[data-testid="status-line"]')!;
    const stageElement = document.querySelector('[data-testid="canvas-stage"]')!;
    const seen: Array<{ playhead: number; shown: string; mask: string }> = [];
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const shown = stageElement.getAttribute('data-shown-media') ?? '';
        seen.push({ playhead: Number(line.getAttribute('data-frame-index')), shown, mask: stageElement.getAttribute('data-shown-mask') ?? '' });
        if (performance.now() - start > playMs) resolve();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return seen;
  }, Math.min(1500, (mattedSpan / 25) * 1000));
  await studio.keyboard.press('Space');
  expect(samples.some((sample) => sample.playhead > 0)).toBe(true);
  expect(samples.filter((sample) => sample.mask !== '' && sample.mask !== sample.shown)).toEqual([]);
  // So the first frame played has a matte on screen (its own layer, loaded at rest), never the bare frame.
  expect(samples.find((sample) => sample.playhead > 0)?.mask).not.toBe('');
  // Stopped, the frame it stopped on is shown, with its own matte where the pass got there.
  const stoppedOn = Number(await status.getAttribute('data-frame-index'));
  await expect(stage).toHaveAttribute('data-shown-media', `frame ${stoppedOn} of lp_d19_plainwall.mp4`);
  if (stoppedOn < mattedSpan) await expect(stage).toHaveAttribute('data-shown-mask', `frame ${stoppedOn} of lp_d19_plainwall.mp4`);
});
