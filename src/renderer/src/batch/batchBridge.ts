/**
 * Native helpers the Batch Export dialog uses when the Electron preload offers them (optional members of the bridge;
 * the web shell has none and falls back to the typed folder and the shown path).
 */
import type { StudioBridge } from '../connection/studioBridge';

/** The bridge with the batch dialog's optional helpers. */
export interface BatchBridge extends StudioBridge {
  /** The native folder picker; resolves with the chosen folder, or nothing when dismissed. */
  chooseFolder?(defaultPath?: string): Promise<string | null | undefined>;
  /** Shows a file or folder in the system file manager (`shell.showItemInFolder`). */
  revealInFolder?(path: string): void;
}
