// The whole bridge: one channel, plain messages, nothing else from Node or Electron reaches the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

const channel = 'matte-studio';

contextBridge.exposeInMainWorld('matteStudio', {
  send(message: unknown): void {
    ipcRenderer.send(channel, message);
  },
  onMessage(listener: (message: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.off(channel, handler);
  },
  openDialog(): Promise<string[]> {
    return ipcRenderer.invoke(`${channel}:open-dialog`);
  },
  getPathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
