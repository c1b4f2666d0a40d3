// Projects in the web shell: Save As and Open Project bring a stroke and a slider back; a crashed host's autosave is
// offered for recovery by the next host that uses the same settings folder. Each host runs with its own temporary
// MATTE_STUDIO_SETTINGS_DIR, so nothing here touches the real recent list or recovery copies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test, type Browser, type Page } from '@playwright/test';
import { alphaAt, openFixture, previewVersion, waitForPreview, waitForRepaint } from './studioHelpers';
import { expect, fixturesDir, hasFixtures, projectRoot } from './studioFixtures';

test.skip(!hasFixtures, `fixtures not found at ${fixturesDir}: project e2e skipped`);
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'Project specs drive the web shell (they start and kill hosts); the web project runs them.');
});

const portrait = 'portraits/st_people_0_longhair.png';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts `matte-studio serve` with its own settings folder; resolves with the page URL it prints. */
async function startHost(settingsDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'matte-studio.mjs'), 'serve', '--port', '0'], {
    cwd: projectRoot,
    env: { ...process.env, MATTE_STUDIO_SETTINGS_DIR: settingsDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web shell did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`web shell exited with ${code}:\n${output}`)));
  });
  return { url, child };
}

/** SIGTERM, the clean stop (as Ctrl+C), and waits for the host to exit. */
async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(url);
  return page;
}

/** Paints an add stroke across picture pixels (30..50, 40), where the portrait's backdrop is background. */
async function paintStroke(page: Page): Promise<void> {
  const start = await page.evaluate(() => window.__matteStudioTest!.pictureToClient(30, 40));
  const end = await page.evaluate(() => window.__matteStudioTest!.pictureToClient(50, 40));
  const version = await previewVersion(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
  await waitForRepaint(page, version);
  expect(await alphaAt(page, 40, 40)).toBe(255);
}

/** Moves the radius slider to 0 (default 90) with the keyboard: one committed settings change. */
async function setRadiusToZero(page: Page): Promise<void> {
  await page.getByTestId('slider-radiusPx').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('slider-radiusPx')).toHaveValue('0');
}

/** Paints, moves the slider, and checks the title says unsaved. */
async function editPortrait(page: Page): Promise<void> {
  await openFixture(page, portrait);
  await waitForPreview(page);
  expect(await alphaAt(page, 40, 40)).toBeLessThan(20);
  await paintStroke(page);
  await setRadiusToZero(page);
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');
  await expect.poll(() => page.title()).toMatch(/^• Untitled/);
}

/** Checks the portrait is back: the stroke, the slider value, nothing to undo. */
async function expectPortraitRestored(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="library-item"][data-item-name="st_people_0_longhair.png"]')).toBeVisible();
  await waitForPreview(page);
  await expect.poll(() => alphaAt(page, 40, 40)).toBe(255);
  await expect(page.getByTestId('slider-radiusPx')).toHaveValue('0');
  await expect(page.getByTestId('undo')).toBeDisabled();
}

test('Save As writes a project file; a fresh page opens it with the stroke and the slider value', async ({}, testInfo) => {
  const settingsDir = mkdtempSync(join(tmpdir(), 'matte-e2e-settings-'));
  const projectDir = mkdtempSync(join(tmpdir(), 'matte-e2e-project-'));
  const host = await startHost(settingsDir);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await openPage(browser, host.url);
    await editPortrait(page);

    await page.getByTestId('project-save-as').click();
    const projectPath = join(projectDir, 'portrait.mattestudio');
    await page.getByTestId('project-path-input').fill(projectPath);
    await page.getByTestId('project-path-submit').click();
    await expect(page.getByTestId('project-save-dialog')).toBeHidden();
    await expect(page.getByTestId('project-title')).toHaveText('portrait');
    await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
    await expect.poll(() => page.title()).toBe('portrait — Matte Studio');

    expect(existsSync(projectPath)).toBe(true);
    const file = JSON.parse(readFileSync(projectPath, 'utf8'));
    expect(file).toMatchObject({ format: 'matte-studio-project', version: 2, items: [{ path: join(fixturesDir, portrait), kind: 'image', settings: { radiusPx: 0 } }] });
    expect(file.maskEdits.frames).toHaveLength(1);
    await page.screenshot({ path: testInfo.outputPath('saved.png') });

    // A fresh page: an empty document until the project opens from the recent list's path field.
    const fresh = await openPage(browser, host.url);
    await page.close();
    await expect(fresh.getByTestId('library-item')).toHaveCount(0);
    await fresh.getByTestId('project-open').click();
    await expect(fresh.getByTestId('recent-project')).toHaveAttribute('data-path', projectPath);
    await fresh.getByTestId('project-path-input').fill(projectPath);
    await fresh.getByTestId('project-path-submit').click();
    await expectPortraitRestored(fresh);
    await expect(fresh.getByTestId('project-title')).toHaveText('portrait');
    await expect(fresh.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
    await fresh.screenshot({ path: testInfo.outputPath('reopened.png') });
  } finally {
    await browser.close();
    await stopHost(host.child);
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(settingsDir, { recursive: true, force: true });
  }
});

test('after the host is killed, the next host offers the autosaved work and Recover restores it', async ({}, testInfo) => {
  const settingsDir = mkdtempSync(join(tmpdir(), 'matte-e2e-settings-'));
  const recoveryDir = join(settingsDir, 'recovery');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const crashed = await startHost(settingsDir);
  let next: { url: string; child: ChildProcess } | undefined;
  try {
    const page = await openPage(browser, crashed.url);
    await editPortrait(page);
    // Autosave: the renderer reports the change within a second, the engine writes after two quiet seconds.
    const copyHolds = () => {
      for (const session of existsSync(recoveryDir) ? readdirSync(recoveryDir) : []) {
        const copy = join(recoveryDir, session, 'untitled.mattestudio');
        if (!existsSync(copy)) continue;
        const file = JSON.parse(readFileSync(copy, 'utf8'));
        return file.items[0]?.settings.radiusPx === 0 && file.maskEdits.frames.length === 1;
      }
      return false;
    };
    await expect.poll(copyHolds, { timeout: 30_000 }).toBe(true);
    const exited = new Promise((resolve) => crashed.child.once('exit', resolve));
    crashed.child.kill('SIGKILL');
    await exited;
    await page.close();

    next = await startHost(settingsDir);
    const fresh = await openPage(browser, next.url);
    await expect(fresh.getByTestId('recovery-prompt')).toBeVisible();
    await expect(fresh.getByTestId('recoverable-session')).toHaveCount(1);
    await expect(fresh.getByTestId('recoverable-session')).toContainText('1 item');
    await fresh.screenshot({ path: testInfo.outputPath('recovery-prompt.png') });
    await fresh.getByTestId('recover-session').click();
    await expect(fresh.getByTestId('recovery-prompt')).toBeHidden();
    await expectPortraitRestored(fresh);
    await expect(fresh.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');
    // The crashed session's copy was taken over: only the new host's own session folder remains.
    expect(readdirSync(recoveryDir)).toHaveLength(1);
  } finally {
    await browser.close();
    crashed.child.kill('SIGKILL');
    if (next) await stopHost(next.child);
  }
  // A clean stop of the new host leaves nothing to recover.
  expect(readdirSync(recoveryDir)).toEqual([]);
  rmSync(settingsDir, { recursive: true, force: true });
});
