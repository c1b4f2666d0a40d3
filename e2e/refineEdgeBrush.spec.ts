// The Refine Edge brush in the web shell: R picks it (its tooltip names the key), a stroke over the hair marks the
// frame under a translucent cyan overlay as one undo step, the engine's preview re-solves alpha under the marks,
// Ctrl+Z / Ctrl+Shift+Z take the marks away and back, Alt held erases, and Save As / Open Project keep the marks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { alphaAt, openFixture, previewVersion, waitForPreview, waitForRepaint } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: Refine Edge e2e skipped`);
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'Save As and Open Project use the web shell\'s path field; the web project runs this spec.');
});

const portrait = 'portraits/st_people_0_longhair.png';
/** The stroke's half length and the brush's default size (40 px) leave this box covered. */
const strokeHalfLengthPx = 14;

/** A point on the subject's outline (hair against the backdrop): the first pixel left of the centre below half alpha. */
async function findEdge(page: Page): Promise<{ x: number; y: number }> {
  for (const y of [150, 200, 120, 250]) {
    for (let x = 237; x > 20; x -= 2) {
      if ((await alphaAt(page, x, y)) < 128) return { x, y };
    }
  }
  throw new Error('no subject outline found left of the centre');
}

/** Alpha on a grid over the painted box (the stroke crosses the edge horizontally, the brush is 40 px wide). */
function boxAlphas(page: Page, edge: { x: number; y: number }): Promise<number[]> {
  return page.evaluate(([cx, cy, half]) => {
    const values: number[] = [];
    for (let y = cy! - 10; y <= cy! + 10; y += 2) for (let x = cx! - half!; x <= cx! + half!; x += 2) values.push(window.__matteStudioTest!.getAlphaAt(x, y));
    return values;
  }, [edge.x, edge.y, strokeHalfLengthPx]);
}

/** True when the mask layer shows the cyan mark tint at a picture point (blue well over red, unlike the red overlay). */
async function showsMark(page: Page, point: { x: number; y: number }): Promise<boolean> {
  const pixel = await page.evaluate(([x, y]) => window.__matteStudioTest!.getPreviewPixel(x!, y!), [point.x, point.y]);
  return pixel !== null && pixel[3]! > 0 && pixel[2]! > pixel[0]! + 60;
}

async function paintAcross(page: Page, edge: { x: number; y: number }): Promise<void> {
  const start = await page.evaluate(([x, y]) => window.__matteStudioTest!.pictureToClient(x!, y!), [edge.x - strokeHalfLengthPx, edge.y]);
  const end = await page.evaluate(([x, y]) => window.__matteStudioTest!.pictureToClient(x!, y!), [edge.x + strokeHalfLengthPx, edge.y]);
  const version = await previewVersion(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 10 });
  await page.mouse.up();
  await waitForRepaint(page, version);
}

test('R picks the Refine Edge brush; a stroke marks, re-solves, undoes and redoes as one step, and a project keeps it', async ({ studio: page }, testInfo) => {
  const projectDir = mkdtempSync(join(tmpdir(), 'matte-e2e-refine-edge-'));
  try {
    await openFixture(page, portrait);
    await waitForPreview(page);
    const edge = await findEdge(page);
    const unmarked = await boxAlphas(page, edge);

    // The tool by its shortcut; the tooltip names the key.
    await page.getByTestId('tool-brush').focus();
    await page.keyboard.press('r');
    const tool = page.getByTestId('tool-refine-edge');
    await expect(tool).toHaveAttribute('aria-pressed', 'true');
    await expect(tool).toHaveAttribute('title', /Refine Edge brush.*\(R\)/);
    await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'mark');
    // Alt held erases marks; released, the brush marks again. The add/subtract brush keeps its own mode.
    await page.keyboard.down('Alt');
    await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'erase');
    await page.keyboard.up('Alt');
    await expect(page.getByTestId('brush-mode')).toHaveAttribute('data-mode', 'mark');
    expect(await showsMark(page, edge)).toBe(false);

    await paintAcross(page, edge);
    expect(await showsMark(page, edge)).toBe(true);
    expect(await showsMark(page, { x: edge.x, y: edge.y + 40 })).toBe(false);
    await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo Refine Edge Stroke');
    // The engine re-solves alpha under the marks (the preview comes back changed there).
    await expect.poll(async () => (await boxAlphas(page, edge)).some((value, index) => value !== unmarked[index])).toBe(true);
    const refined = await boxAlphas(page, edge);
    await page.screenshot({ path: testInfo.outputPath('marked.png') });

    // One gesture, one step: a single undo takes the whole stroke and its effect away; redo brings both back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => showsMark(page, edge)).toBe(false);
    await expect(page.getByTestId('undo')).toBeDisabled();
    await expect.poll(() => boxAlphas(page, edge)).toEqual(unmarked);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => showsMark(page, edge)).toBe(true);
    await expect.poll(() => boxAlphas(page, edge)).toEqual(refined);

    // Kept in the project: Save As, then a fresh page opens it with the marks and their effect.
    await page.getByTestId('project-save-as').click();
    const projectPath = join(projectDir, 'refined.mattestudio');
    await page.getByTestId('project-path-input').fill(projectPath);
    await page.getByTestId('project-path-submit').click();
    await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
    expect(JSON.parse(readFileSync(projectPath, 'utf8')).maskEdits.frames).toHaveLength(1);

    // A fresh page on the same host (its own context: no reload copy to offer), with an empty document.
    const fresh = await page.context().browser()!.newPage({ viewport: { width: 1440, height: 900 } });
    await fresh.goto(page.url());
    await page.close();
    await expect(fresh.getByTestId('library-item')).toHaveCount(0);
    await fresh.getByTestId('project-open').click();
    await fresh.getByTestId('project-path-input').fill(projectPath);
    await fresh.getByTestId('project-path-submit').click();
    await waitForPreview(fresh);
    await expect.poll(() => boxAlphas(fresh, edge)).toEqual(refined);
    await expect(fresh.getByTestId('undo')).toBeDisabled();
    await fresh.getByTestId('tool-brush').focus();
    await fresh.keyboard.press('r');
    await expect.poll(() => showsMark(fresh, edge)).toBe(true);
    await fresh.screenshot({ path: testInfo.outputPath('reopened.png') });
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
});
