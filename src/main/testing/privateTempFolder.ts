/**
 * Gives a whole test run one private temporary folder and removes it when the run ends. Tests, the code they drive,
 * the CLI children they spawn and Chromium all make their scratch folders under `os.tmpdir()`, which follows TMPDIR;
 * without this every `npm test` left hundreds of folders (about 170 MB of optimised model graphs among them) in the
 * machine's /tmp for good.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points TMPDIR at a fresh folder for this process and the workers it starts; the returned function undoes both. */
export async function usePrivateTempFolder(runner: string): Promise<() => Promise<void>> {
  const previous = process.env.TMPDIR;
  const folder = await mkdtemp(join(tmpdir(), `matte-studio-${runner}-`));
  process.env.TMPDIR = folder;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  };
}
