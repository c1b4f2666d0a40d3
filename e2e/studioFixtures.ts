import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, _electron, type Page } from '@playwright/test';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? resolve(projectRoot, '..', 'shared', 'fixtures');
export const hasFixtures = existsSync(join(fixturesDir, 'MANIFEST.tsv'));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Electron's executable when installed (never triggers its download). */
export function electronBinary(): string | undefined {
  try {
    const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist'), relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `matte-studio serve` on a random port and resolves with the page URL it prints (with its token). */
async function startWebShell(environment: Record<string, string>): Promise<{ url: string; process: ChildProcess; settingsDir: string }> {
  // A private settings folder: no recovery card from another run can cover what a spec clicks.
  const settingsDir = mkdtempSync(join(tmpdir(), 'matte-studio-e2e-settings-'));
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'matte-studio.mjs'), 'serve', '--port', '0'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MATTE_STUDIO_SETTINGS_DIR: settingsDir, ...environment },
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`web shell did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`web shell exited with ${code}:\n${output}`)));
  });
  return { url, process: child, settingsDir };
}

/**
 * Stops a web shell and waits (up to 20 s) until it has exited: a shell still flushing its caches would write into
 * folders a spec removes next, and its CPU use slows the next spec's engine.
 */
async function stopWebShell(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise<void>((resolveLater) => setTimeout(resolveLater, 20_000))]);
}

/**
 * Waits for the studio's tool bar, which replaces the "Connecting…" card once the engine answers: specs that measure
 * or click the studio at once would otherwise race an engine slowed down by the spec before (seen in the tool-bar
 * layout spec, which found no controls at all).
 */
async function untilConnected(page: Page): Promise<void> {
  await page.locator('.tool-bar').waitFor({ state: 'visible', timeout: 90_000 });
}

/**
 * `page` is the studio: the web shell in Debian Chromium, or the Electron window in the `electron` project.
 * `studioEnvironment` adds environment variables for the studio's engine (a spec's own model folder or mirror).
 */
export const test = base.extend<{ studio: Page; studioEnvironment: Record<string, string> }>({
  studioEnvironment: [{}, { option: true }],
  studio: async ({ studioEnvironment }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const executablePath = electronBinary();
      test.skip(!executablePath, 'Electron binary not installed on this machine: the Electron run of this spec is skipped (the web-shell run covers it).');
      const app = await _electron.launch({ executablePath, args: [projectRoot], cwd: projectRoot, env: { ...process.env, ...studioEnvironment } as Record<string, string> });
      const window = await app.firstWindow();
      await untilConnected(window);
      await use(window);
      await app.close();
      return;
    }
    const shell = await startWebShell(studioEnvironment);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error('[page error]', error));
    await page.goto(shell.url);
    await untilConnected(page);
    await use(page);
    await browser.close();
    await stopWebShell(shell.process);
    rmSync(shell.settingsDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
