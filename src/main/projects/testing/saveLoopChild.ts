/**
 * Child process for the SIGKILL tests: saves versions 0, 1, 2, … of the test project forever, printing
 * `saved <n>` after each save has resolved, until the test kills it. Run as
 * `node --import tsx saveLoopChild.ts save <folder> <first n>` (saves `<folder>/project.mattestudio`) or
 * `… autosave <folder> <first n>` (autosaves through `startAutosave` into `<folder>/settings`, changing the document
 * every few milliseconds, as painting does).
 */
import { join } from 'node:path';
import { startAutosave } from '../autosave';
import { saveProject } from '../projectStore';
import { makeVersion } from './projectVersions';

const [mode, folder, firstArgument] = process.argv.slice(2);
if ((mode !== 'save' && mode !== 'autosave') || folder === undefined) throw new Error('usage: saveLoopChild.ts save|autosave <folder> [first n]');
const mediaFolder = join(folder, 'media');
let n = Number(firstArgument ?? 0);

const report = (version: number) => process.stdout.write(`saved ${version}\n`);

if (mode === 'save') {
  for (;;) {
    const { document, tiles } = makeVersion(n, mediaFolder);
    await saveProject(join(folder, 'project.mattestudio'), document, tiles);
    report(n);
    n += 1;
  }
} else {
  let snapshotVersion = -1;
  const session = await startAutosave({
    settingsFolder: join(folder, 'settings'),
    projectId: 'test-project-0001',
    quietMs: 4,
    maximumDelayMs: 15,
    snapshot: () => {
      snapshotVersion = n;
      return makeVersion(n, mediaFolder);
    },
    // Saves run one at a time, so the save that just finished is the one that took the last snapshot.
    onSaved: () => report(snapshotVersion),
    onError: (error) => {
      process.stderr.write(`autosave failed: ${String(error)}\n`);
      process.exit(2);
    },
  });
  process.stdout.write(`session ${session.sessionId}\n`);
  const change = () => {
    n += 1;
    session.markChanged();
  };
  session.markChanged();
  setInterval(change, 2);
}
