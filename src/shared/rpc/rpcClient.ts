/**
 * The caller side of the RPC layer: turns method calls into request messages and replies back into promises.
 */
import { DisposableStore, toDisposable, type Disposable } from '../disposable';
import { cancelledError, StudioError } from '../errors';
import { hasEvent, type CallOptions, type Contract, type ContractClient, type EventNameOf, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from './defineContract';
import { parseRpcMessage, type MessageId } from './messages';
import type { Transport } from './transport';

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Hears messages that failed validation and errors thrown by event listeners. Defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

interface PendingCall {
  method: string;
  resolve: (output: unknown) => void;
  reject: (error: unknown) => void;
  /** Removes the abort listener from the caller's signal. */
  release: () => void;
}

/** The error every call left waiting gets when the connection ends. */
function connectionClosedError(method: string): StudioError {
  return new StudioError('DISCONNECTED', `The connection to the Matte Studio engine closed before "${method}" finished.`);
}

/**
 * A connection to an {@link RpcServer} through one transport. Owns the transport: disposing the client closes it.
 *
 * @example
 * const client = new RpcClient(contract, transport);
 * const sum = await client.api.add({ a: 1, b: 2 });
 * const subscription = client.api.on('onTick', ({ count }) => render(count));
 */
export class RpcClient<C extends Contract> implements Disposable {
  /** One async function per contract method, plus `on`. */
  readonly api: ContractClient<C>;
  private readonly pending = new Map<MessageId, PendingCall>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly subscriptions = new DisposableStore();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly contract: C,
    private readonly transport: Transport,
    private readonly options: RpcClientOptions = {},
  ) {
    this.subscriptions.add(transport.onMessage((message) => this.receive(message)));
    if (transport.onClose) this.subscriptions.add(transport.onClose(() => this.shutDown()));
    const api: Record<string, unknown> = {};
    for (const method of Object.keys(contract.methods)) {
      api[method] = (input: unknown, callOptions?: CallOptions) => this.call(method as MethodName<C>, input as never, callOptions);
    }
    api.on = (name: EventNameOf<C>, listener: (payload: EventPayload<C, EventNameOf<C>>) => void) => this.on(name, listener);
    this.api = Object.freeze(api) as ContractClient<C>;
  }

  /** True once the transport closed or the client was disposed; every call then rejects at once. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls `method`. Rejects with the server's StudioError, with `CANCELLED` on abort, or when the connection ends. */
  call<K extends MethodName<C>>(method: K, input: MethodInput<C, K>, options: CallOptions = {}): Promise<MethodOutput<C, K>> {
    const { signal } = options;
    if (this.closed) return Promise.reject(connectionClosedError(method));
    if (signal?.aborted) return Promise.reject(cancelledError());
    const id = this.nextId++;
    return new Promise<MethodOutput<C, K>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        signal?.removeEventListener('abort', onAbort);
        this.transport.send({ kind: 'cancel', id });
        // Reject now rather than waiting for the server: a new slider value must not queue behind the old preview.
        reject(cancelledError());
      };
      signal?.addEventListener('abort', onAbort);
      this.pending.set(id, {
        method,
        resolve: resolve as (output: unknown) => void,
        reject,
        release: () => signal?.removeEventListener('abort', onAbort),
      });
      this.transport.send({ kind: 'request', id, method, input });
    });
  }

  /** Subscribes to an event. Listeners that throw are reported to `onError` and do not affect other listeners. */
  on<E extends EventNameOf<C>>(name: E, listener: (payload: EventPayload<C, E>) => void): Disposable {
    if (!hasEvent(this.contract, name)) throw new TypeError(`Expected an event of the contract for on() but received "${name}"`);
    let listeners = this.eventListeners.get(name);
    if (!listeners) this.eventListeners.set(name, (listeners = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    listeners.add(wrapped);
    return toDisposable(() => listeners.delete(wrapped));
  }

  /** Rejects every pending call, drops every listener and closes the transport. */
  dispose(): void {
    this.shutDown();
    this.transport.close();
  }

  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) {
      call.release();
      call.reject(connectionClosedError(call.method));
    }
    this.eventListeners.clear();
    this.subscriptions.dispose();
  }

  private receive(raw: unknown): void {
    const message = parseRpcMessage(raw);
    if (!message) {
      this.reportError(new TypeError('Expected an RPC message from the engine but received something else'));
      return;
    }
    if (message.kind === 'event') {
      for (const listener of [...(this.eventListeners.get(message.name) ?? [])]) {
        try {
          listener(message.payload);
        } catch (error) {
          this.reportError(error);
        }
      }
      return;
    }
    if (message.kind !== 'result' && message.kind !== 'failure') return;
    const call = this.pending.get(message.id);
    // Unknown ids are replies to calls already cancelled or abandoned: drop them.
    if (!call) return;
    this.pending.delete(message.id);
    call.release();
    if (message.kind === 'result') call.resolve(message.output);
    else call.reject(new StudioError(message.error.code, message.error.message, message.error.detail));
  }

  private reportError(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else console.error(error);
  }
}

/** Shorthand for `new RpcClient(contract, transport, options)`. */
export function createRpcClient<C extends Contract>(contract: C, transport: Transport, options?: RpcClientOptions): RpcClient<C> {
  return new RpcClient(contract, transport, options);
}
