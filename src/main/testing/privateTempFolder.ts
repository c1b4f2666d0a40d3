/**
 * Gives a whole test run one private temporary folder and removes it when the run ends. Tests, the code they drive,
 * the CLI children they spawn and Chromium all make their scratch folders under `os.tmpdir()`, which follows TMPDIR;
 * without this every `npm test` left hundreds of folders (about 170 MB of optimised model graphs among them) in the
 * machine's /tmp for good.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points TMPDIR at a fresh folder for this process and the workers it starts; the returned function undoes both. */
export async function usePrivateTempFolder(runner: string, options: { removeOnSignals?: boolean } = {}): Promise<() => Promise<void>> {
  const previous = process.env.TMPDIR;
  const folder = await mkdtemp(join(tmpdir(), `matte-studio-${runner}-`));
  process.env.TMPDIR = folder;
  // A run stopped by a signal (Ctrl+C on a benchmark) never reaches its `finally`: the folder goes on the way out.
  const signals = options.removeOnSignals ? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const) : [];
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(folder, { recursive: true, force: true });
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of signals) process.once(signal, onSignal);
  return async () => {
    for (const signal of signals) process.off(signal, onSignal);
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  };
}
