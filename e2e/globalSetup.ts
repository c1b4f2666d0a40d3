import { electronBinary } from './studioFixtures';

/** Says once, up front, why the Electron run of the specs is skipped on machines without Electron's binary. */
export default function globalSetup(): void {
  if (!electronBinary()) {
    process.stdout.write('Electron binary not installed on this machine: the "electron" e2e project is skipped; the "web" project runs every spec in Debian Chromium.\n');
  }
}
