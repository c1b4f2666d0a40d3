// The whole bridge: one channel for the contract, plus the few native things a sandboxed page cannot do itself.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

const channel = 'matte-studio';
const subscribe = <T>(name: string, listener: (value: T) => void) => {
  const handler = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(name, handler);
  return () => void ipcRenderer.off(name, handler);
};

contextBridge.exposeInMainWorld('matteStudio', {
  send: (message: unknown) => ipcRenderer.send(channel, message),
  onMessage: (listener: (message: unknown) => void) => subscribe(channel, listener),
  openDialog: (): Promise<string[]> => ipcRenderer.invoke(`${channel}:open-dialog`),
  saveDialog: (defaultPath?: string): Promise<string | null> => ipcRenderer.invoke(`${channel}:save-dialog`, defaultPath),
  openProjectDialog: (): Promise<string | null> => ipcRenderer.invoke(`${channel}:open-project-dialog`),
  chooseFolder: (defaultPath?: string): Promise<string | null> => ipcRenderer.invoke(`${channel}:choose-folder`, defaultPath),
  revealInFolder: (path: string) => ipcRenderer.send(`${channel}:reveal`, path),
  // A path exists only for a file the user dropped or picked (not one the page made), so main may trust it as chosen.
  getPathForFile: (file: File): string => {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(`${channel}:dropped-path`, path);
    return path;
  },
  onMenuCommand: (listener: (command: string) => void) => subscribe(`${channel}:menu`, listener),
  setMenuState: (state: { undoLabel: string | null; redoLabel: string | null }) => ipcRenderer.send(`${channel}:menu-state`, state),
});
