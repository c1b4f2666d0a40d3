/** A {@link Transport} over the Electron preload bridge: one channel, structured-clone messages. */
import { toDisposable } from '../../../shared/disposable';
import type { Transport } from '../../../shared/rpc/transport';
import type { StudioBridge } from './studioBridge';

/** Wraps the bridge. The window's life is the connection's life, so it never closes from the other side. */
export function createIpcTransport(bridge: StudioBridge): Transport {
  const listeners = new Set<(message: unknown) => void>();
  let closed = false;
  const unsubscribe = bridge.onMessage((message) => {
    if (closed) return;
    for (const listener of [...listeners]) listener(message);
  });
  const closeListeners = new Set<() => void>();
  return {
    send(message) {
      if (!closed) bridge.send(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
    onClose(listener) {
      closeListeners.add(listener);
      return toDisposable(() => closeListeners.delete(listener));
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      listeners.clear();
      for (const listener of [...closeListeners]) listener();
      closeListeners.clear();
    },
  };
}
