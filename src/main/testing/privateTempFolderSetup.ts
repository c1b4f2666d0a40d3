/** vitest global setup: the unit run's scratch folders live in one private folder removed at the end (see privateTempFolder.ts). */
import { usePrivateTempFolder } from './privateTempFolder';

export default function privateTempFolderSetup(): Promise<() => Promise<void>> {
  return usePrivateTempFolder('unit-run');
}
