import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../files/atomicWrite';

/** Window geometry remembered between launches. */
export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(16384),
  height: z.number().int().min(480).max(16384),
  isMaximized: z.boolean(),
});
/** Parsed {@link windowStateSchema}. */
export type WindowState = z.output<typeof windowStateSchema>;

export const defaultWindowState: WindowState = { width: 1440, height: 900, isMaximized: false };

/**
 * Reads the saved window state. A missing file gives the default; a damaged one gives the default, a warning, and is
 * kept aside as `window-state.json.bad-<time>` so nothing is silently lost.
 */
export async function loadWindowState(folder: string, warn: (message: string) => void = () => {}): Promise<WindowState> {
  const path = join(folder, 'window-state.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return defaultWindowState;
  }
  try {
    return windowStateSchema.parse(JSON.parse(text));
  } catch (error) {
    const aside = `${path}.bad-${Date.now()}`;
    await rename(path, aside).catch(() => {});
    warn(`The saved window layout was damaged and was reset (kept as ${aside}): ${String(error).slice(0, 200)}`);
    return defaultWindowState;
  }
}

/** Saves the window state atomically. */
export async function saveWindowState(folder: string, state: WindowState): Promise<void> {
  await writeFileAtomically(join(folder, 'window-state.json'), `${JSON.stringify(windowStateSchema.parse(state), null, 2)}\n`);
}
