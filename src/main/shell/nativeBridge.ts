import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { defaultWriteScope, type WriteScope } from '../files/writeScope';
import { ipcChannel } from './ipcTransport';
import { isTopFrameSender, RevealPolicy } from './windowSecurity';

const mediaExtensions = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'gif', 'mp4', 'mov', 'webm', 'mkv'];
const projectFilters = [{ name: 'Matte Studio projects', extensions: ['mattestudio'] }];

/** A string path from the page, or undefined (the page is not trusted with anything else). */
function pathFrom(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length < 4096 && isAbsolute(value) ? value : undefined;
}

/**
 * The native things a sandboxed page cannot do itself — open/save dialogs, a folder picker, "reveal in folder" — as
 * IPC handlers that answer only our window's top frame showing `app://renderer`. What the user picks in a save dialog
 * or folder picker becomes a write root (`files/writeScope.ts`), and so does the default output folder beside what
 * they open or drop; `reveal` shows only paths the user chose or the engine may write. Returns the open dialog for the
 * menu to reuse, and the reveal policy for OS open requests.
 */
export function registerNativeBridge(window: BrowserWindow, scope: WriteScope = defaultWriteScope): { showOpenDialog(folders: boolean): Promise<string[]>; reveal: RevealPolicy } {
  const isFromStudio = (event: IpcMainInvokeEvent | IpcMainEvent) => isTopFrameSender(event, window.webContents);
  const reveal = new RevealPolicy(scope);
  const showOpenDialog = async (folders: boolean) => {
    const result = await dialog.showOpenDialog(window, {
      properties: folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'openDirectory', 'multiSelections'],
      filters: folders ? [] : [{ name: 'Pictures and clips', extensions: mediaExtensions }],
    });
    const paths = result.canceled ? [] : result.filePaths;
    reveal.remember(paths);
    // Export's default folder beside what the user opened may receive outputs without another dialog.
    scope.allowDefaultOutputsOf(paths);
    return paths;
  };
  ipcMain.handle(`${ipcChannel}:open-dialog`, (event) => (isFromStudio(event) ? showOpenDialog(false) : []));
  ipcMain.handle(`${ipcChannel}:save-dialog`, async (event, defaultPath: unknown) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showSaveDialog(window, { defaultPath: pathFrom(defaultPath), filters: projectFilters });
    if (result.canceled || !result.filePath) return null;
    scope.allowFileFolder(result.filePath, 'dialog');
    return result.filePath;
  });
  ipcMain.handle(`${ipcChannel}:open-project-dialog`, async (event) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showOpenDialog(window, { properties: ['openFile'], filters: projectFilters });
    const path = result.canceled ? null : (result.filePaths[0] ?? null);
    if (path) reveal.remember([path]);
    return path;
  });
  ipcMain.handle(`${ipcChannel}:choose-folder`, async (event, defaultPath: unknown) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showOpenDialog(window, { properties: ['openDirectory', 'createDirectory'], defaultPath: pathFrom(defaultPath) });
    const folder = result.canceled ? null : (result.filePaths[0] ?? null);
    if (folder) scope.allow(folder, 'dialog');
    return folder;
  });
  // Sent by the preload for files the user dropped: their paths come from Electron, never from the page.
  ipcMain.on(`${ipcChannel}:dropped-path`, (event, value: unknown) => {
    const path = pathFrom(value);
    if (!isFromStudio(event) || !path) return;
    reveal.remember([path]);
    scope.allowDefaultOutputsOf([path]);
  });
  ipcMain.on(`${ipcChannel}:reveal`, (event, value: unknown) => {
    const path = pathFrom(value);
    if (isFromStudio(event) && path && reveal.canReveal(path) && existsSync(path)) shell.showItemInFolder(path);
  });
  return { showOpenDialog, reveal };
}
