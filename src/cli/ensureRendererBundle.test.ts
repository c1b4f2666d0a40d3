import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRendererBundle, findElectronVite } from './ensureRendererBundle';

const folders: string[] = [];
function project(withBundle: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'matte-bundle-'));
  folders.push(root);
  if (withBundle) {
    mkdirSync(join(root, 'out', 'renderer'), { recursive: true });
    writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html>');
  }
  return root;
}
function capture() {
  const lines: string[] = [];
  return { lines, output: { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) } };
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('ensureRendererBundle', () => {
  it('does nothing when the page is built', async () => {
    const { lines, output } = capture();
    const build = async () => {
      throw new Error('must not build');
    };
    expect(await ensureRendererBundle({ output, projectRoot: project(true), build, findBuilder: () => '/x' })).toBe('present');
    expect(lines).toEqual([]);
  });

  it('builds the page on the first serve when electron-vite is installed', async () => {
    const { lines, output } = capture();
    const root = project(false);
    const built: string[] = [];
    const build = async (projectRoot: string) => {
      built.push(projectRoot);
      mkdirSync(join(projectRoot, 'out', 'renderer'), { recursive: true });
      writeFileSync(join(projectRoot, 'out', 'renderer', 'index.html'), '<!doctype html>');
      return 0;
    };
    expect(await ensureRendererBundle({ output, projectRoot: root, build, findBuilder: () => '/electron-vite.js', env: {} })).toBe('built');
    expect(built).toEqual([root]);
    expect(lines.at(-1)).toBe('Built the studio’s page.');
  });

  it('says what to run when electron-vite is missing, the build fails, or auto-build is off', async () => {
    for (const [findBuilder, build, env] of [
      [() => undefined, async () => 0, {}],
      [() => '/electron-vite.js', async () => 2, {}],
      [() => '/electron-vite.js', async () => 0, { MATTE_STUDIO_NO_AUTOBUILD: '1' }],
    ] as const) {
      const { lines, output } = capture();
      expect(await ensureRendererBundle({ output, projectRoot: project(false), build, findBuilder, env })).toBe('missing');
      expect(lines.at(-1)).toMatch(/run `npm run build` in .*, then start `matte-studio serve` again/);
    }
  });

  it('finds this checkout’s electron-vite', () => {
    expect(findElectronVite(join(import.meta.dirname, '..', '..'))).toMatch(/electron-vite/);
  });
});
