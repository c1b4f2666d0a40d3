// Opening a project while another is open: every item of the second project is cut out (none stays "Waiting").
// Project B shares one picture with A, so the matte A made is reused, and adds one A never had.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, fixturesDir, hasFixtures, test } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: project switch e2e skipped`);
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'The project files are typed into the web shell’s path dialog; the web project runs this spec.');
});

const now = new Date().toISOString();

/** Writes a minimal version-2 project of fixture pictures. */
function writeProject(folder: string, name: string, pictures: readonly string[]): string {
  const items = pictures.map((picture, index) => ({ id: `item${index}`, path: join(fixturesDir, picture), kind: 'image', settings: {}, frameIndex: 0 }));
  const file = { format: 'matte-studio-project', version: 2, projectId: `project-${name}`, createdAt: now, savedAt: now, items, activeItemId: 'item0', maskEdits: { folder: `${name}.mattestudio.d`, frames: [] } };
  const path = join(folder, `${name}.mattestudio`);
  writeFileSync(path, JSON.stringify(file));
  return path;
}

async function openProject(page: Page, path: string): Promise<void> {
  await page.getByTestId('project-open').click();
  await page.getByTestId('project-path-input').fill(path);
  await page.getByTestId('project-path-submit').click();
  await expect(page.getByTestId('project-title')).toHaveText(path.split('/').pop()!.replace('.mattestudio', ''));
}

async function expectAllDone(page: Page, count: number): Promise<void> {
  const items = page.getByTestId('library-item');
  await expect(items).toHaveCount(count);
  await expect.poll(async () => (await items.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-status')))).join(','), { timeout: 150_000 }).toBe(Array(count).fill('done').join(','));
}

test('opening project B while project A is open cuts out every item of B', async ({ studio: page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'matte-e2e-switch-'));
  try {
    const projectA = writeProject(folder, 'alpha', ['portraits/st_people_0_longhair.png', 'portraits/deb_astronaut.png']);
    const projectB = writeProject(folder, 'beta', ['portraits/deb_astronaut.png', 'portraits/u2_kid2_curly_updo.jpg']);
    await openProject(page, projectA);
    await expectAllDone(page, 2);
    await openProject(page, projectB);
    await expectAllDone(page, 2);
    // And back again: A's items were matted before, so their cached mattes must still mark them done.
    await openProject(page, projectA);
    await expectAllDone(page, 2);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('opening project B while A is still cutting out does not leave B waiting', async ({ studio: page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'matte-e2e-switch-'));
  try {
    const projectA = writeProject(folder, 'alpha', ['portraits/lp_d9_blond_yellowwall.jpg', 'portraits/deb_grace_hopper.jpg', 'portraits/u2_man5_curly_16x9.jpg']);
    const projectB = writeProject(folder, 'beta', ['portraits/deb_grace_hopper.jpg', 'portraits/st_people_0_longhair.png']);
    await openProject(page, projectA);
    await openProject(page, projectB);
    await expectAllDone(page, 2);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
