import { BrowserWindow, shell } from 'electron';
import type { WindowState } from './windowState';
import { hardenWebContents, secureWebPreferences, type HardenableContents, type HardenOptions } from './windowSecurity';

/** Hosts the app may open in the user's browser; everything else is refused. */
const externalAllowList = ['https://github.com/'];

/**
 * The studio window, locked down as DESIGN §10 asks (policy in `windowSecurity.ts`): context isolation, sandbox, no
 * Node in the page, no `<webview>`, no navigation, frame navigation or redirect away from `app://renderer`, no new
 * windows (links to allow-listed sites open in the browser), every permission denied, a handler for a dead renderer;
 * dark background so nothing flashes white while the bundle loads.
 */
export function createMainWindow(state: WindowState, preloadPath: string, options: Pick<HardenOptions, 'onRendererGone' | 'onRefused'> = {}): BrowserWindow {
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
    webPreferences: secureWebPreferences(preloadPath),
  });
  if (state.isMaximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  // Electron's overloaded `on` signatures are wider than the structural type the policy is tested against.
  hardenWebContents(window.webContents as unknown as HardenableContents, { openExternal: openExternalSafely, ...options });
  return window;
}

/** Opens an allow-listed URL in the user's browser. */
export function openExternalSafely(url: string): void {
  if (externalAllowList.some((prefix) => url.startsWith(prefix))) void shell.openExternal(url);
}
