import { alphaAt, openFixture, previewSamples, previewVersion, waitForPreview, waitForRepaint } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: studio e2e skipped`);

test('matte a portrait, paint an add stroke, undo it', async ({ studio }, testInfo) => {
  await openFixture(studio, 'portraits/st_people_0_longhair.png');
  await waitForPreview(studio);
  await expect(studio.getByTestId('provenance')).toContainText('tier 1');
  // The white backdrop's top-left corner is background.
  const before = await alphaAt(studio, 40, 40);
  expect(before).toBeLessThan(20);
  await expect(studio.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'add');
  const start = await studio.evaluate(() => window.__matteStudioTest!.pictureToClient(30, 40));
  const end = await studio.evaluate(() => window.__matteStudioTest!.pictureToClient(50, 40));
  const version = await previewVersion(studio);
  await studio.mouse.move(start.x, start.y);
  await studio.mouse.down();
  await studio.mouse.move(end.x, end.y, { steps: 8 });
  await studio.mouse.up();
  await waitForRepaint(studio, version);
  expect(await alphaAt(studio, 40, 40)).toBe(255);
  await studio.screenshot({ path: testInfo.outputPath('after-stroke.png') });
  await studio.getByTestId('undo').click();
  await expect.poll(() => alphaAt(studio, 40, 40)).toBe(before);
  await studio.getByTestId('redo').click();
  await expect.poll(() => alphaAt(studio, 40, 40)).toBe(255);
});

test('the refinement radius slider and the spill preview change the picture', async ({ studio }, testInfo) => {
  await openFixture(studio, 'portraits/lp_d9_blond_yellowwall.jpg');
  await waitForPreview(studio);
  await studio.getByTestId('view-mode-black').click();
  const size = await studio.evaluate(() => {
    const view = (window.__matteStudioTest as unknown as { getView(): { pictureWidth?: number; pictureHeight?: number } }).getView?.();
    return { width: view?.pictureWidth ?? 512, height: view?.pictureHeight ?? 512 };
  });
  let version = await previewVersion(studio);
  const original = await previewSamples(studio, size.width, size.height);
  if (testInfo.project.name === 'web') {
    // The pointer reaching a slider has the engine prepare the draft at once, before any tick: the first tick then
    // finds the draft-size picture and its edge band ready. (Seen on the web shell's socket; Electron uses IPC.)
    await studio.evaluate(() => {
      const sent: string[] = [];
      (window as unknown as { __sentRequests: string[] }).__sentRequests = sent;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
        if (typeof data === 'string') sent.push(data);
        return send.call(this, data);
      };
    });
    await studio.getByTestId('slider-radiusPx').hover();
    // 560: the draft's long side (previewController's draftMaxSide).
    const draftRequests = () => studio.evaluate(() => (window as unknown as { __sentRequests: string[] }).__sentRequests.filter((message) => message.includes('"renderPreview"') && message.includes('"maxSide":560')).length);
    await expect.poll(draftRequests).toBe(1);
    expect(await previewVersion(studio)).toBe(version); // prepared, not shown: the picture is unchanged
  }
  // Radius 90 → 0: foreground colour estimation off, so edge colours change.
  await studio.getByTestId('slider-radiusPx').focus();
  await studio.keyboard.press('Home');
  await waitForRepaint(studio, version);
  await waitForPreview(studio);
  const withoutEstimation = await previewSamples(studio, size.width, size.height);
  expect(withoutEstimation).not.toEqual(original);
  await studio.screenshot({ path: testInfo.outputPath('radius-0.png') });
  await studio.keyboard.press('End');
  version = await previewVersion(studio);
  await studio.getByTestId('spill-before-after').click();
  await expect(studio.getByTestId('spill-before-after')).toHaveAttribute('aria-pressed', 'true');
  await waitForRepaint(studio, version);
  version = await previewVersion(studio);
  await studio.getByTestId('view-mode-heatmap').click();
  await waitForRepaint(studio, version);
  const heat = await previewSamples(studio, size.width, size.height);
  expect(heat).not.toEqual(withoutEstimation);
  await studio.screenshot({ path: testInfo.outputPath('spill-heatmap.png') });
});

test('scrub a clip and step frames with the arrow keys', async ({ studio }, testInfo) => {
  await openFixture(studio, 'clips/lp_d19_plainwall.mp4');
  const timeline = studio.getByTestId('timeline');
  await expect(timeline).toBeVisible();
  await expect(timeline).toHaveAttribute('data-frame-count', '250');
  await expect(studio.getByTestId('timeline-frame')).toContainText('0');
  const track = studio.getByTestId('timeline-track');
  const box = (await track.boundingBox())!;
  await track.click({ position: { x: box.width * 0.4, y: box.height / 2 } });
  const frameText = studio.getByTestId('timeline-frame');
  await expect.poll(async () => Number((await frameText.textContent())?.match(/\d+/)?.[0])).toBeGreaterThan(50);
  const scrubbed = Number((await frameText.textContent())!.match(/\d+/)![0]);
  const stage = studio.getByTestId('canvas-stage');
  await studio.waitForTimeout(500);
  const pictureBefore = await stage.screenshot();
  await studio.locator('body').click({ position: { x: 5, y: 5 } });
  for (let step = 0; step < 12; step++) await studio.keyboard.press('ArrowRight');
  await expect(frameText).toContainText(String(scrubbed + 12));
  await expect(studio.getByTestId('timeline-timecode')).toBeVisible();
  await expect.poll(async () => (await stage.screenshot()).equals(pictureBefore), { timeout: 30_000 }).toBe(false);
  await studio.keyboard.press('ArrowLeft');
  await expect(frameText).toContainText(String(scrubbed + 11));
  await studio.screenshot({ path: testInfo.outputPath('clip-scrubbed.png') });
});
