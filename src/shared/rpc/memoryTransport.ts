/**
 * An in-memory pair of linked transports, for tests and for running the engine in the same process as its caller.
 */
import { toDisposable, type Disposable } from '../disposable';
import type { RpcMessage } from './messages';
import type { MessageListener, Transport } from './transport';

/** Options of {@link createMemoryTransportPair}. */
export interface MemoryTransportOptions {
  /**
   * Round-trip every message through JSON, as a WebSocket does, so tests catch outputs that would not survive the
   * real wire (a `Date`, a `Map`, a typed array).
   * @default true
   */
  serialize?: boolean;
}

class MemoryTransport implements Transport {
  peer: MemoryTransport | undefined;
  private readonly messageListeners = new Set<MessageListener>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly serialize: boolean) {}

  send(message: RpcMessage): void {
    const peer = this.peer;
    if (this.closed || !peer) return;
    const text = this.serialize ? JSON.stringify(message) : undefined;
    // Deliver on a later microtask, like every real transport: a reply must never re-enter the sender's call stack.
    void Promise.resolve().then(() => peer.deliver(text === undefined ? message : JSON.parse(text)));
  }

  onMessage(listener: MessageListener): Disposable {
    this.messageListeners.add(listener);
    return toDisposable(() => this.messageListeners.delete(listener));
  }

  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener);
    return toDisposable(() => this.closeListeners.delete(listener));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.peer?.closeFromPeer();
    this.scheduleCloseEvent();
  }

  private closeFromPeer(): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduleCloseEvent();
  }

  private scheduleCloseEvent(): void {
    // Queued after any messages already sent, so they arrive before the close, as on a WebSocket.
    void Promise.resolve().then(() => {
      for (const listener of [...this.closeListeners]) listener();
      this.closeListeners.clear();
      this.messageListeners.clear();
    });
  }

  private deliver(message: unknown): void {
    for (const listener of [...this.messageListeners]) listener(message);
  }
}

/**
 * Creates two linked transports: what one sends, the other receives (asynchronously). Closing either closes both.
 *
 * @returns `[clientSide, serverSide]` — the names are only a convention; the pair is symmetric.
 */
export function createMemoryTransportPair(options: MemoryTransportOptions = {}): [Transport, Transport] {
  const serialize = options.serialize ?? true;
  const first = new MemoryTransport(serialize);
  const second = new MemoryTransport(serialize);
  first.peer = second;
  second.peer = first;
  return [first, second];
}
