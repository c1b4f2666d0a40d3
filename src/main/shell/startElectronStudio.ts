import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, ipcMain, Menu, protocol, type BrowserWindow } from 'electron';
import { studioContract } from '../../shared/contract/studioContract';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createEngine } from '../engine';
import { defaultWriteScope } from '../files/writeScope';
import { createMediaRouter } from '../host/mediaRouter';
import { createStudioService } from '../handlers/studioService';
import { createAppProtocolHandler, isTrustedRendererUrl } from './appProtocol';
import { buildApplicationMenu } from './applicationMenu';
import { createMainWindow, openExternalSafely } from './createMainWindow';
import { createIpcTransport, ipcChannel } from './ipcTransport';
import { registerNativeBridge } from './nativeBridge';
import { withTaskbarProgress } from './taskbarProgress';
import type { OpenRequestQueue } from './openRequests';
import { loadWindowState, saveWindowState } from './windowState';

/**
 * Composes the desktop app once Electron is ready: the engine (models from the packaged resources), the studio
 * service behind one IPC channel, the `app://` protocol for the bundle and media, the menu, and OS open requests.
 */
export async function startElectronStudio(openRequests: OpenRequestQueue, log: (message: string) => void): Promise<BrowserWindow> {
  // Bundled as out/main/index.js (ESM): siblings are found from this module's own URL.
  const mainDir = dirname(fileURLToPath(import.meta.url));
  const outDir = join(mainDir, '..');
  const engine = createEngine({
    bundledDir: app.isPackaged ? join(process.resourcesPath, 'models') : join(app.getAppPath(), 'resources', 'models'),
    kernels: { workerEntry: pathToFileURL(join(mainDir, 'refineWorker.js')), onFallback: (reason) => log(`Kernels run in-process: ${reason}`) },
    session: { inferenceWorker: pathToFileURL(join(mainDir, 'inferenceWorker.js')), onFallback: (reason) => log(`Models run on the main thread: ${reason}`) },
    launcher: { entry: pathToFileURL(join(mainDir, 'launcherProcess.js')), onFallback: (reason) => log(`ffmpeg starts from the main process: ${reason}`) },
  });
  const userData = app.getPath('userData');
  const studio = createStudioService({
    engine,
    shell: 'electron',
    version: app.getVersion(),
    onError: (error) => log(String(error)),
    settingsFolder: userData,
    // OS open requests are delivered once the renderer listens (it asks for its startup paths when ready).
    projects: { onProjectPath: (path) => app.addRecentDocument(path), onRendererReady: () => openRequests.attach(openPaths) },
  });
  // As the web shell does: the kernel worker starts while the window loads, not on the first preview.
  engine.kernels.prestart();
  protocol.handle('app', createAppProtocolHandler(join(outDir, 'renderer'), createMediaRouter(studio, { onError: (error) => log(String(error)) })));

  // Electron's dialogs run here in the main process, so the contract may write only where the user chose.
  defaultWriteScope.setStrict(true);
  let rendererRestarts = 0;
  const window = createMainWindow(await loadWindowState(userData, log), join(outDir, 'preload', 'index.cjs'), {
    onRefused: (what) => log(`Refused ${what}`),
    onRendererGone: (details) => {
      log(`The studio page stopped (${details.reason}, exit code ${details.exitCode})`);
      // A crash or an OOM kill gets one fresh page (autosave keeps the work); a clean exit or repeated crashes do not.
      if (details.reason !== 'clean-exit' && !window.isDestroyed() && rendererRestarts++ < 3) void window.loadURL('app://renderer/index.html');
    },
  });
  const rpc = new RpcServer(studioContract, studio.handlers, { validateOutputs: false, onError: (error) => log(String(error)) });
  rpc.connect(withTaskbarProgress(createIpcTransport(ipcMain, window.webContents, isTrustedRendererUrl), window));

  const { showOpenDialog, reveal } = registerNativeBridge(window);
  const openPaths = (paths: string[]) => {
    // Paths from the OS (file manager, command line) and the open dialog were chosen by the user.
    reveal.remember(paths);
    defaultWriteScope.allowDefaultOutputsOf(paths);
    for (const path of paths) app.addRecentDocument(path);
    rpc.broadcast('onOpenRequest', { paths });
  };

  const sendCommand = (command: string) => window.webContents.send(`${ipcChannel}:menu`, command);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildApplicationMenu(
        {
          openFiles: () => void showOpenDialog(false).then((paths) => paths.length && openPaths(paths)),
          openFolder: () => void showOpenDialog(true).then((paths) => paths.length && openPaths(paths)),
          sendCommand,
          openExternal: openExternalSafely,
        },
        process.platform,
      ),
    ),
  );

  window.on('close', () => {
    const bounds = window.getNormalBounds();
    void saveWindowState(userData, { ...bounds, isMaximized: window.isMaximized() }).catch((error) => log(String(error)));
  });
  // The studio's clean shutdown (it ends the autosave session) must finish before the process exits.
  let disposal: Promise<void> | undefined;
  let isDisposed = false;
  const disposeStudio = () => {
    disposal ??= (async () => {
      rpc.dispose();
      await studio.dispose();
      await engine.dispose();
    })()
      .catch((error: unknown) => log(String(error)))
      .finally(() => {
        isDisposed = true;
      });
    return disposal;
  };
  window.on('closed', () => void disposeStudio());
  app.on('will-quit', (event) => {
    if (isDisposed) return;
    event.preventDefault();
    void disposeStudio().then(() => app.quit());
  });
  await window.loadURL('app://renderer/index.html');
  return window;
}
