/**
 * What the Electron preload may expose on `window.matteStudio`. Only `send` and `onMessage` are required (the one
 * RPC channel); the rest are optional conveniences the shell may add. The web shell has no bridge.
 */

/** The preload's bridge. */
export interface StudioBridge {
  /** Sends one RPC message on the channel. */
  send(message: unknown): void;
  /** Hears RPC messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Shows the native open dialog; may resolve with the chosen paths (or open them itself via `onOpenRequest`). */
  openDialog?(): Promise<string[] | null | undefined | void> | void;
  /** Shows the native save dialog for a project; resolves with the chosen path, or null when cancelled. */
  saveDialog?(defaultPath?: string): Promise<string | null>;
  /** Shows the native open dialog for one project; resolves with its path, or null when cancelled. */
  openProjectDialog?(): Promise<string | null>;
  /** The path of a dropped file (Electron's `webUtils.getPathForFile`). */
  getPathForFile?(file: File): string;
  /** Hears commands from the native menu (names from `tools/shortcuts.ts`); returns the unsubscribe function. */
  onMenuCommand?(listener: (command: string) => void): () => void;
  /** Tells the native menu the current undo/redo labels (null = disabled). */
  setMenuState?(state: { undoLabel: string | null; redoLabel: string | null }): void;
}

declare global {
  interface Window {
    matteStudio?: StudioBridge;
  }
}

/** The preload bridge, when running in Electron. */
export function getStudioBridge(): StudioBridge | undefined {
  const bridge = typeof window === 'undefined' ? undefined : window.matteStudio;
  return bridge && typeof bridge.send === 'function' && typeof bridge.onMessage === 'function' ? bridge : undefined;
}
