import { usePrivateTempFolder } from '../src/main/testing/privateTempFolder';
import { electronBinary } from './studioFixtures';

/**
 * Says once, up front, why the Electron run of the specs is skipped on machines without Electron's binary, and
 * gives the run one private TMPDIR (removed at the end) so the studios, projects and browser profiles the specs make
 * never pile up in /tmp.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!electronBinary()) {
    process.stdout.write('Electron binary not installed on this machine: the "electron" e2e project is skipped; the "web" project runs every spec in Debian Chromium.\n');
  }
  return usePrivateTempFolder('e2e-run');
}
