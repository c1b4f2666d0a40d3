// Electron entry: only composition. Everything it wires lives in the engine (plain Node, tested without Electron)
// and in src/main/shell.
import { app, BrowserWindow, protocol } from 'electron';
import { OpenRequestQueue, pathsFromArgv } from './shell/openRequests';
import { startElectronStudio } from './shell/startElectronStudio';

// `app://` must be privileged before `ready`: standard URLs, fetch() and streaming for media, Range requests.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } }]);

const log = (message: string) => process.stderr.write(`[matte-studio] ${message}\n`);
const openRequests = new OpenRequestQueue();
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  // A second launch (double-clicking a file or folder) hands its paths to the running studio and quits.
  app.quit();
} else {
  openRequests.add(pathsFromArgv(process.argv, process.cwd(), { isPackaged: app.isPackaged }));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openRequests.add(pathsFromArgv(argv, workingDirectory, { isPackaged: app.isPackaged }));
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  // macOS delivers files and folders dropped on the Dock icon or opened from Finder this way, possibly before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openRequests.add([path]);
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(async () => {
      mainWindow = await startElectronStudio(openRequests, log);
    })
    .catch((error: unknown) => {
      log(`could not start: ${error instanceof Error ? error.stack : String(error)}`);
      app.exit(1);
    });
}
