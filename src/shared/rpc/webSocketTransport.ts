/**
 * A {@link Transport} over a WebSocket carrying one JSON text frame per message. Works with the browser's WebSocket,
 * Node 22's global WebSocket and the `ws` package's client or server-side sockets (inject the constructor on Node 20).
 */
import { toDisposable, type Disposable } from '../disposable';
import { StudioError } from '../errors';
import type { RpcMessage } from './messages';
import type { MessageListener, Transport } from './transport';

/** The part of the WebSocket API used here, shared by browsers and the `ws` package. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // Listeners take `unknown` so both the DOM's and `ws`'s event types fit; the code below reads only `data`.
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: unknown) => void): void;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` on Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `WebSocket.OPEN`, spelled out because the constant lives on different objects in different runtimes. */
const openState = 1;
/** Close code for "the peer sent data this endpoint cannot accept" (RFC 6455 §7.4.1). */
const unsupportedDataCode = 1003;

/** Options of {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Hears frames that were not JSON text, for the log. */
  onError?: (error: unknown) => void;
}

/**
 * Wraps an open (or opening) WebSocket as a transport. Binary frames are a protocol violation and close the socket;
 * text that is not JSON is reported and dropped (the RPC layer validates the rest).
 */
export function createWebSocketTransport(socket: WebSocketLike, options: WebSocketTransportOptions = {}): Transport {
  const messageListeners = new Set<MessageListener>();
  const closeListeners = new Set<() => void>();
  let closed = false;

  const onMessage = (event: unknown) => {
    const data = (event as { data?: unknown }).data;
    if (typeof data !== 'string') {
      options.onError?.(new TypeError('Expected a text frame on the RPC socket but received binary data'));
      socket.close(unsupportedDataCode, 'text frames only');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch (error) {
      options.onError?.(error);
      return;
    }
    for (const listener of [...messageListeners]) listener(message);
  };
  const onClose = () => {
    if (closed) return;
    closed = true;
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('close', onClose);
    for (const listener of [...closeListeners]) listener();
    closeListeners.clear();
    messageListeners.clear();
  };
  socket.addEventListener('message', onMessage);
  socket.addEventListener('close', onClose);
  // Always listen for errors: `ws` throws an unheard 'error' (e.g. an oversized frame) and would take the host down.
  // A `close` event follows every error, so that is where the transport ends.
  socket.addEventListener('error', () => options.onError?.(new Error('The RPC WebSocket reported an error')));

  return {
    send(message: RpcMessage) {
      // Stringify even when the socket is gone, so an unserialisable output fails the same way everywhere.
      const text = JSON.stringify(message);
      if (!closed && socket.readyState === openState) socket.send(text);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return toDisposable(() => messageListeners.delete(listener));
    },
    onClose(listener): Disposable {
      closeListeners.add(listener);
      return toDisposable(() => closeListeners.delete(listener));
    },
    close() {
      socket.close(1000);
      // Some runtimes fire `close` only after the closing handshake; callers get the event now, once.
      onClose();
    },
  };
}

/** Options of {@link connectWebSocketTransport}. */
export interface ConnectWebSocketOptions extends WebSocketTransportOptions {
  /** The constructor to use; defaults to `globalThis.WebSocket` (absent on Node 20: pass `ws`'s there). */
  WebSocket?: WebSocketConstructor;
  /** Abandons the attempt. */
  signal?: AbortSignal;
}

/**
 * Opens `url` (e.g. `ws://127.0.0.1:PORT/rpc?token=…`) and resolves once the socket is open. Rejects with an
 * `INTERNAL` StudioError when the host refuses (wrong token, foreign origin) or cannot be reached: browsers do not
 * reveal the HTTP status of a refused WebSocket upgrade, so neither can this.
 */
export function connectWebSocketTransport(url: string, options: ConnectWebSocketOptions = {}): Promise<Transport> {
  const Constructor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Constructor) return Promise.reject(new TypeError('Expected a WebSocket constructor for connectWebSocketTransport but received undefined (pass one on Node 20)'));
  if (options.signal?.aborted) return Promise.reject(new StudioError('CANCELLED', 'Connecting to the Matte Studio engine was cancelled.'));
  return new Promise((resolve, reject) => {
    const socket = new Constructor(url);
    // Stays for the socket's life: `ws` emits 'error' after close() during the handshake, and an unheard one throws.
    socket.addEventListener('error', () => {});
    const settle = (outcome: Transport | Error) => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onFailure);
      socket.removeEventListener('close', onFailure);
      options.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onOpen = () => settle(createWebSocketTransport(socket, options));
    const onFailure = () => settle(new StudioError('INTERNAL', 'Could not connect to the Matte Studio engine.', `WebSocket to ${url.replace(/token=[^&]*/, 'token=…')} failed to open`));
    const onAbort = () => {
      socket.close();
      settle(new StudioError('CANCELLED', 'Connecting to the Matte Studio engine was cancelled.'));
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onFailure);
    socket.addEventListener('close', onFailure);
    options.signal?.addEventListener('abort', onAbort);
  });
}
