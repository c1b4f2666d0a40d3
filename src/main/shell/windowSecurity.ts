/**
 * The Electron window's security policy as plain data and pure functions (DESIGN §10), so tests can pin every piece
 * without an Electron binary: webPreferences, permission handlers that deny, navigation guards, `<webview>` refusal,
 * the IPC top-frame check, the `reveal` policy and what happens when the renderer process dies. Only types come from
 * `electron` here; `createMainWindow.ts` and `startElectronStudio.ts` wire these into the real objects.
 */
import { isAbsolute, resolve } from 'node:path';
import type { WebPreferences } from 'electron';
import type { WriteScope } from '../files/writeScope';

/** The only page the window may show: the bundled renderer. */
export const rendererOrigin = 'app://renderer/';

/** The window's webPreferences: isolated, sandboxed, no Node, no `<webview>`, no insecure content. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** True when the window may navigate (or a frame may load, or a redirect may lead) to `url`. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'renderer' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Every permission the page asks for (camera, notifications, geolocation, clipboard read, MIDI, HID…) is denied. */
export function denyPermissionRequest(_contents: unknown, _permission: string, callback: (isGranted: boolean) => void): void {
  callback(false);
}

/** Every permission check answers "not granted". */
export function denyPermissionCheck(): boolean {
  return false;
}

/** The parts of an Electron IPC event the sender check reads. */
export interface IpcSenderLike {
  sender: unknown;
  senderFrame?: { url: string; parent: unknown } | null;
}

/**
 * True when an IPC message comes from our window's top frame showing our page: the right webContents, a frame with no
 * parent (an `<iframe>`, even of our own origin, is refused) and an `app://renderer/` URL.
 */
export function isTopFrameSender(event: IpcSenderLike, contents: unknown): boolean {
  const frame = event.senderFrame;
  return event.sender === contents && !!frame && frame.parent === null && isAllowedNavigation(frame.url);
}

/** What may be revealed in the file manager: what the user chose in a dialog, or what lies in the write scope. */
export class RevealPolicy {
  private readonly chosen = new Set<string>();

  constructor(private readonly scope: WriteScope) {}

  /** Records paths a native dialog returned (or the OS asked us to open). */
  remember(paths: readonly string[]): void {
    for (const path of paths) if (isAbsolute(path)) this.chosen.add(resolve(path));
  }

  /** True for a remembered path, or a path inside a folder the engine may write (where its outputs are). */
  canReveal(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const absolute = resolve(path);
    return this.chosen.has(absolute) || this.scope.contains(absolute);
  }
}

/** The minimal webContents surface {@link hardenWebContents} uses (Electron's WebContents satisfies it). */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  session: {
    setPermissionRequestHandler(handler: typeof denyPermissionRequest): void;
    setPermissionCheckHandler(handler: typeof denyPermissionCheck): void;
  };
}

/** What {@link hardenWebContents} reports. */
export interface HardenOptions {
  /** Allow-listed links (opened in the user's browser). */
  openExternal?: (url: string) => void;
  /** The renderer crashed or was killed: the shell reloads it (or closes) and logs `details`. */
  onRendererGone?: (details: { reason: string; exitCode: number }) => void;
  /** Hears each refused navigation, webview or window, for the log. */
  onRefused?: (what: string) => void;
}

/**
 * Applies the policy to one webContents: navigation (top frame, sub-frames, redirects) only to `app://renderer/`,
 * no `<webview>`, no new windows, permissions denied, and a handler for a dead renderer process.
 */
export function hardenWebContents(contents: HardenableContents, options: HardenOptions = {}): void {
  const guard = (kind: string) => (event: { preventDefault(): void; url?: string }, url?: string) => {
    const target = event.url ?? url ?? '';
    if (isAllowedNavigation(target)) return;
    event.preventDefault();
    options.onRefused?.(`${kind} to ${target}`);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-frame-navigate', guard('frame navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onRefused?.('webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    options.openExternal?.(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler(denyPermissionRequest);
  contents.session.setPermissionCheckHandler(denyPermissionCheck);
  contents.on('render-process-gone', (_event, details) => options.onRendererGone?.(details));
}
