/**
 * Reloading or closing the page with unsaved work: the browser asks first (`beforeunload`), and the renderer's
 * reload copy is written at that moment whatever the answer, so a reload that goes ahead can offer it again.
 *
 * The prompt is the web shell's: in Electron a prevented unload cancels the window close silently unless the main
 * process handles `will-prevent-unload`, so there only the copy is written (the engine's autosave covers a close).
 */
import { readTokenFromHash } from '../connection/mediaUrls';
import type { ProjectActions } from './projectActions';
import type { RecoveryStorage } from './reloadRecovery';

/** Where the reload copy lives for this page: the web shell's token names the engine session. */
export function reloadCopyFor(shell: 'electron' | 'web', windowObject: Window): { storage: RecoveryStorage; sessionKey: string } | undefined {
  try {
    if (shell === 'web') {
      const token = readTokenFromHash(windowObject.location.hash);
      return token ? { storage: windowObject.localStorage, sessionKey: `web:${token}` } : undefined;
    }
    // Electron: a reload keeps the main process; sessionStorage lives exactly as long as the window.
    return { storage: windowObject.sessionStorage, sessionKey: 'electron' };
  } catch {
    // Storage disabled (privacy settings): no reload copy.
    return undefined;
  }
}

/** Installs the guard; returns its removal. */
export function guardUnload(projects: Pick<ProjectActions, 'hasUnsavedWork' | 'flushReloadCopy'>, shell: 'electron' | 'web', target: Window): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!projects.hasUnsavedWork()) return;
    projects.flushReloadCopy();
    if (shell !== 'web') return;
    event.preventDefault();
    // Chromium still wants returnValue set to show the prompt.
    event.returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
