import { createRequire } from 'node:module';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicyFor, cspViolations } from '../host/contentSecurityPolicy';
import { WriteScope } from '../files/writeScope';
import { projectRoot } from '../testing/fixtures';
import { contentSecurityPolicy, isTrustedRendererUrl } from './appProtocol';
import { createIpcTransport, ipcChannel } from './ipcTransport';
import { denyPermissionCheck, denyPermissionRequest, hardenWebContents, isAllowedNavigation, isTopFrameSender, RevealPolicy, secureWebPreferences, type HardenableContents } from './windowSecurity';

// The Electron binary is absent here: the policy is pinned through its pure functions and fakes of the objects it
// is applied to (the shell passes the real BrowserWindow's webContents and session).

describe('Electron window security', () => {
  it('pins webPreferences: isolated, sandboxed, no Node, no webview, no insecure content', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
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
    });
  });

  it('navigation guards allow app://renderer only', () => {
    for (const url of ['app://renderer/index.html', 'app://renderer/', 'app://renderer/assets/x.js#a']) expect(isAllowedNavigation(url), url).toBe(true);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://media/source/x', 'app://renderer.evil/', 'app://user@renderer/', 'javascript:alert(1)', 'data:text/html,x', 'about:blank', '', 'not a url']) {
      expect(isAllowedNavigation(url), url).toBe(false);
      expect(isTrustedRendererUrl(url), url).toBe(false);
    }
  });

  it('hardenWebContents: refuses navigation, frame navigation, redirects, webviews and windows; denies every permission; handles a dead renderer', () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    const handlers: Record<string, unknown> = {};
    const fake = {
      on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
      setWindowOpenHandler: (handler: typeof windowOpenHandler) => (windowOpenHandler = handler),
      session: { setPermissionRequestHandler: (handler: unknown) => (handlers.request = handler), setPermissionCheckHandler: (handler: unknown) => (handlers.check = handler) },
    };
    const refused: string[] = [];
    const opened: string[] = [];
    const gone: unknown[] = [];
    hardenWebContents(fake as unknown as HardenableContents, { onRefused: (what) => refused.push(what), openExternal: (url) => opened.push(url), onRendererGone: (details) => gone.push(details) });
    const fire = (event: string, url: string, asArgument = false) => {
      let isPrevented = false;
      const electronEvent = { preventDefault: () => (isPrevented = true), ...(asArgument ? {} : { url }) };
      listeners.get(event)!(electronEvent, url);
      return isPrevented;
    };
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(event, 'https://evil.example/'), event).toBe(true);
      expect(fire(event, 'file:///etc/passwd', true), event).toBe(true);
      expect(fire(event, 'app://renderer/index.html'), event).toBe(false);
    }
    let isWebviewPrevented = false;
    listeners.get('will-attach-webview')!({ preventDefault: () => (isWebviewPrevented = true) });
    expect(isWebviewPrevented).toBe(true);
    expect(windowOpenHandler!({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/x']);
    expect(handlers.request).toBe(denyPermissionRequest);
    expect(handlers.check).toBe(denyPermissionCheck);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'fullscreen', 'openExternal', 'hid']) {
      let granted: boolean | undefined;
      denyPermissionRequest(undefined, permission, (value) => (granted = value));
      expect(granted, permission).toBe(false);
    }
    expect(denyPermissionCheck()).toBe(false);
    listeners.get('render-process-gone')!({}, { reason: 'crashed', exitCode: 139 });
    expect(gone).toEqual([{ reason: 'crashed', exitCode: 139 }]);
    expect(refused).toHaveLength(7);
  });

  it('IPC: only the top frame of our window showing app://renderer is heard, by the transport and the native bridge check', () => {
    const contents = { once: () => {}, send: () => {}, isDestroyed: () => false };
    const other = {};
    const top = { url: 'app://renderer/index.html', parent: null };
    const subFrame = { url: 'app://renderer/index.html', parent: top };
    expect(isTopFrameSender({ sender: contents, senderFrame: top }, contents)).toBe(true);
    expect(isTopFrameSender({ sender: contents, senderFrame: subFrame }, contents)).toBe(false);
    expect(isTopFrameSender({ sender: other, senderFrame: top }, contents)).toBe(false);
    expect(isTopFrameSender({ sender: contents, senderFrame: null }, contents)).toBe(false);
    expect(isTopFrameSender({ sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } }, contents)).toBe(false);

    let onIpc: ((event: unknown, message: unknown) => void) | undefined;
    const ipcMain = { on: (channel: string, listener: typeof onIpc) => channel === ipcChannel && (onIpc = listener), off: () => {} };
    const transport = createIpcTransport(ipcMain as never, contents as never, isTrustedRendererUrl);
    const heard: unknown[] = [];
    transport.onMessage((message) => heard.push(message));
    onIpc!({ sender: contents, senderFrame: subFrame }, 'from an iframe');
    onIpc!({ sender: other, senderFrame: top }, 'from another window');
    onIpc!({ sender: contents, senderFrame: { url: 'app://media/x', parent: null } }, 'from another page');
    onIpc!({ sender: contents, senderFrame: top }, 'from the studio');
    expect(heard).toEqual(['from the studio']);
  });

  it('reveal: only paths the user chose or the engine may write', async () => {
    const base = await mkdtemp(join(tmpdir(), 'reveal-'));
    await mkdir(join(base, 'out'));
    const scope = new WriteScope(true);
    scope.allow(join(base, 'out'), 'dialog');
    const policy = new RevealPolicy(scope);
    policy.remember([join(base, 'photo.png'), 'relative.png']);
    expect(policy.canReveal(join(base, 'photo.png'))).toBe(true);
    expect(policy.canReveal(join(base, 'out', 'photo-cutout.png'))).toBe(true);
    expect(policy.canReveal('/etc/shadow')).toBe(false);
    expect(policy.canReveal(join(base, 'other.png'))).toBe(false);
    expect(policy.canReveal('relative.png')).toBe(false);
  });
});

describe('Content-Security-Policy of both shells', () => {
  it('Electron (app://) and the web shell (loopback WebSocket on its own port) send strict policies', () => {
    const web = contentSecurityPolicyFor({ shell: 'web', port: 43210 });
    expect(contentSecurityPolicy).toBe(contentSecurityPolicyFor({ shell: 'electron' }));
    for (const policy of [contentSecurityPolicy, web]) {
      expect(cspViolations(policy)).toEqual([]);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("base-uri 'none'");
    }
    expect(web).toContain("connect-src 'self' ws://127.0.0.1:43210");
    expect(web).not.toContain('app:');
    // The checker itself catches widening.
    expect(cspViolations(`${web}; script-src 'self' 'unsafe-eval' https:`)).not.toEqual([]);
    expect(cspViolations("default-src *")).not.toEqual([]);
  });
});

describe('Electron fuses', () => {
  it('pins every V1 fuse explicitly to the safe value', () => {
    const require = createRequire(import.meta.url);
    const { FuseV1Options } = require('@electron/fuses');
    const { fuses } = require(join(projectRoot, 'build', 'afterPack.cjs'));
    const expected: Record<string, boolean> = {
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    };
    const names = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    // A fuse added by a newer @electron/fuses must be decided here, not left at Electron's default.
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    for (const name of names) expect(fuses[FuseV1Options[name]], name).toBe(expected[name]);
  });
});
