import { BrowserWindow, shell } from 'electron';
import type { WindowState } from './windowState';

/** Hosts the app may open in the user's browser; everything else is refused. */
const externalAllowList = ['https://github.com/'];

/**
 * The studio window, locked down as DESIGN §10 asks: context isolation, sandbox, no Node in the page, no navigation
 * away from `app://renderer`, no new windows (links to allow-listed sites open in the browser), dark background so
 * nothing flashes white while the bundle loads.
 */
export function createMainWindow(state: WindowState, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1b1d21',
    title: 'Matte Studio',
    webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  if (state.isMaximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (externalAllowList.some((prefix) => url.startsWith(prefix))) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith('app://renderer/')) event.preventDefault();
  });
  return window;
}

/** Opens an allow-listed URL in the user's browser. */
export function openExternalSafely(url: string): void {
  if (externalAllowList.some((prefix) => url.startsWith(prefix))) void shell.openExternal(url);
}
