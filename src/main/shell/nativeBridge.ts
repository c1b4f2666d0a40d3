import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { isTrustedRendererUrl } from './appProtocol';
import { ipcChannel } from './ipcTransport';

const mediaExtensions = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'gif', 'mp4', 'mov', 'webm', 'mkv'];
const projectFilters = [{ name: 'Matte Studio projects', extensions: ['mattestudio'] }];

/** A string path from the page, or undefined (the page is not trusted with anything else). */
function pathFrom(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length < 4096 && isAbsolute(value) ? value : undefined;
}

/**
 * The native things a sandboxed page cannot do itself — open/save dialogs, a folder picker, "reveal in folder" — as
 * IPC handlers that answer only our window's `app://renderer` page. Returns the open dialog for the menu to reuse.
 */
export function registerNativeBridge(window: BrowserWindow): { showOpenDialog(folders: boolean): Promise<string[]> } {
  const isFromStudio = (event: IpcMainInvokeEvent | IpcMainEvent) => event.sender === window.webContents && isTrustedRendererUrl(event.senderFrame?.url ?? '');
  const showOpenDialog = async (folders: boolean) => {
    const result = await dialog.showOpenDialog(window, {
      properties: folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'openDirectory', 'multiSelections'],
      filters: folders ? [] : [{ name: 'Pictures and clips', extensions: mediaExtensions }],
    });
    return result.canceled ? [] : result.filePaths;
  };
  ipcMain.handle(`${ipcChannel}:open-dialog`, (event) => (isFromStudio(event) ? showOpenDialog(false) : []));
  ipcMain.handle(`${ipcChannel}:save-dialog`, async (event, defaultPath: unknown) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showSaveDialog(window, { defaultPath: pathFrom(defaultPath), filters: projectFilters });
    return result.canceled || !result.filePath ? null : result.filePath;
  });
  ipcMain.handle(`${ipcChannel}:open-project-dialog`, async (event) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showOpenDialog(window, { properties: ['openFile'], filters: projectFilters });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  ipcMain.handle(`${ipcChannel}:choose-folder`, async (event, defaultPath: unknown) => {
    if (!isFromStudio(event)) return null;
    const result = await dialog.showOpenDialog(window, { properties: ['openDirectory', 'createDirectory'], defaultPath: pathFrom(defaultPath) });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  ipcMain.on(`${ipcChannel}:reveal`, (event, value: unknown) => {
    const path = pathFrom(value);
    if (isFromStudio(event) && path && existsSync(path)) shell.showItemInFolder(path);
  });
  return { showOpenDialog };
}
