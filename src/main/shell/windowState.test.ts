import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, loadWindowState, saveWindowState } from './windowState';

describe('window state', () => {
  it('round-trips through an atomic save', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'window-'));
    await saveWindowState(folder, { x: 10, y: 20, width: 1200, height: 800, isMaximized: true });
    expect(await loadWindowState(folder)).toEqual({ x: 10, y: 20, width: 1200, height: 800, isMaximized: true });
  });
  it('defaults when missing, and when damaged keeps the bad file aside and warns', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'window-'));
    expect(await loadWindowState(folder)).toEqual(defaultWindowState);
    await writeFile(join(folder, 'window-state.json'), '{"width": 12, "height": "tall"');
    const warnings: string[] = [];
    expect(await loadWindowState(folder, (message) => warnings.push(message))).toEqual(defaultWindowState);
    expect(warnings[0]).toMatch(/damaged/);
    const files = await readdir(folder);
    const aside = files.find((name) => name.startsWith('window-state.json.bad-'))!;
    expect(await readFile(join(folder, aside), 'utf8')).toBe('{"width": 12, "height": "tall"');
  });
});
