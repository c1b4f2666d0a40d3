/**
 * The one thing the RPC layer needs from a connection: send plain messages, hear messages, hear the end.
 *
 * An Electron IPC transport is one channel: `send` → `webContents.send(channel, message)` / `ipcRenderer.send`,
 * `onMessage` ← `ipcMain.on(channel)` with a sender check / `ipcRenderer.on(channel)`, `onClose` ← the window's
 * `destroyed` event. Nothing here needs more than structured-clone-able data.
 */
import type { Disposable } from '../disposable';
import type { RpcMessage } from './messages';

/** Receives whatever arrived. It is untrusted: the RPC client and server validate it before use. */
export type MessageListener = (message: unknown) => void;

/** A bidirectional message connection. */
export interface Transport {
  /**
   * Sends one plain-data message. After the transport closed this does nothing: callers learn about the end through
   * {@link Transport.onClose}, not through exceptions from deep inside a reply path.
   */
  send(message: RpcMessage): void;
  /** Subscribes to incoming messages. */
  onMessage(listener: MessageListener): Disposable;
  /** Subscribes to the end of the connection (either side closed it, or it broke). Fires at most once. */
  onClose?(listener: () => void): Disposable;
  /** Closes the connection. Idempotent. */
  close(): void;
}
