import type { IpcMain, IpcMainEvent, WebContents } from 'electron';
import { toDisposable, type Disposable } from '../../shared/disposable';
import type { RpcMessage } from '../../shared/rpc/messages';
import type { MessageListener, Transport } from '../../shared/rpc/transport';
import { isTopFrameSender } from './windowSecurity';

/** The one IPC channel; the preload uses the same name. */
export const ipcChannel = 'matte-studio';

/**
 * A Transport over Electron IPC for one window: messages from any other sender, from a sub-frame (even one of our own
 * origin), or from a frame that is not our `app://renderer` page, are dropped (DESIGN §10: sender checks). Inputs
 * are validated by the RPC server's zod schemas.
 */
export function createIpcTransport(ipcMain: Pick<IpcMain, 'on' | 'off'>, contents: Pick<WebContents, 'once' | 'send' | 'isDestroyed'>, isTrustedUrl: (url: string) => boolean): Transport {
  const listeners = new Set<MessageListener>();
  const closeListeners = new Set<() => void>();
  let isClosed = false;
  const onIpc = (event: IpcMainEvent, message: unknown) => {
    if (isClosed || !isTopFrameSender(event, contents) || !isTrustedUrl(event.senderFrame!.url)) return;
    for (const listener of listeners) listener(message);
  };
  const close = () => {
    if (isClosed) return;
    isClosed = true;
    ipcMain.off(ipcChannel, onIpc);
    for (const listener of closeListeners) listener();
  };
  ipcMain.on(ipcChannel, onIpc);
  contents.once('destroyed', close);
  return {
    send(message: RpcMessage) {
      if (!isClosed && !contents.isDestroyed()) contents.send(ipcChannel, message);
    },
    onMessage(listener): Disposable {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
    onClose(listener): Disposable {
      closeListeners.add(listener);
      return toDisposable(() => closeListeners.delete(listener));
    },
    close,
  };
}
