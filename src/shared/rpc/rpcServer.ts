/**
 * The engine side of the RPC layer: validates every request, runs its handler with a cancellable signal, and turns
 * whatever the handler throws into error data. Transport-agnostic: Electron IPC, WebSocket and in-memory pairs all
 * feed {@link RpcServer.connect}.
 */
import { z } from 'zod';
import { DisposableStore, toDisposable, type Disposable } from '../disposable';
import { StudioError, toErrorData, type ErrorData } from '../errors';
import { hasEvent, hasMethod, type Contract, type ContractHandlers, type EventNameOf, type EventPayload, type HandlerContext, type MethodName } from './defineContract';
import { parseRpcMessage, type MessageId, type RequestMessage, type RpcMessage } from './messages';
import type { Transport } from './transport';

/** Options of {@link RpcServer}. */
export interface RpcServerOptions {
  /**
   * Check handler outputs and event payloads against the contract. Turn on in development and tests; a mismatch
   * fails the request with `INTERNAL` (outputs) or throws at the `emit` call (events), naming the culprit.
   * @default false
   */
  validateOutputs?: boolean;
  /**
   * Put the stack of unexpected (non-StudioError) errors into the failure's `detail`. Off by default: the user sees
   * the plain sentence, and the stack goes to {@link RpcServerOptions.onError}, i.e. the log.
   * @default false
   */
  includeStackInDetail?: boolean;
  /** Hears every handler failure and protocol error with its technical detail, for the log. */
  onError?: (error: unknown, context: { method?: string; id?: MessageId }) => void;
}

/**
 * Serves one contract to any number of connections.
 */
export class RpcServer<C extends Contract> implements Disposable {
  private readonly connections = new Set<RpcServerConnection<C>>();

  constructor(
    readonly contract: C,
    readonly handlers: ContractHandlers<C>,
    readonly options: RpcServerOptions = {},
  ) {
    for (const name of Object.keys(contract.methods)) {
      if (typeof (handlers as Record<string, unknown>)[name] !== 'function') throw new TypeError(`Expected a handler function for contract method "${name}" but received ${typeof (handlers as Record<string, unknown>)[name]}`);
    }
  }

  /** How many connections are open. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Serves the contract over `transport` until it closes or the returned disposable is disposed (which aborts that
   * connection's requests and closes the transport).
   */
  connect(transport: Transport): Disposable {
    const connection = new RpcServerConnection(this, transport, () => this.connections.delete(connection));
    this.connections.add(connection);
    return toDisposable(() => connection.dispose());
  }

  /** Sends an event to every open connection (e.g. "the model list changed"). */
  broadcast<E extends EventNameOf<C>>(name: E, payload: EventPayload<C, E>): void {
    this.checkEvent(name, payload);
    for (const connection of this.connections) connection.sendEvent(name, payload);
  }

  /** Aborts every request and closes every connection. */
  dispose(): void {
    for (const connection of [...this.connections]) connection.dispose();
  }

  /** @internal Throws when `name` is not in the contract or, when validating, the payload does not match. */
  checkEvent(name: string, payload: unknown): void {
    if (!hasEvent(this.contract, name)) throw new TypeError(`Expected an event of the contract for emit but received "${name}"`);
    if (!this.options.validateOutputs) return;
    const parsed = this.contract.events[name]!.safeParse(payload);
    if (!parsed.success) throw new TypeError(`Expected a payload matching the contract for event "${name}" but received one with issues: ${z.prettifyError(parsed.error)}`);
  }

  /** @internal Error data for the wire, after logging the technical side. */
  toFailure(error: unknown, method: string, id: MessageId): ErrorData {
    this.options.onError?.(error, { method, id });
    const data = toErrorData(error);
    if (error instanceof StudioError || this.options.includeStackInDetail) return data;
    // toErrorData puts the stack in `detail`; keep only the error's own one-line description on the wire.
    return { code: data.code, message: data.message, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** One transport's view of the server: its in-flight requests and their abort controllers. */
class RpcServerConnection<C extends Contract> implements Disposable {
  private readonly inFlight = new Map<MessageId, AbortController>();
  private readonly subscriptions = new DisposableStore();
  private closed = false;

  constructor(
    private readonly server: RpcServer<C>,
    private readonly transport: Transport,
    private readonly onClosed: () => void,
  ) {
    this.subscriptions.add(transport.onMessage((message) => this.receive(message)));
    if (transport.onClose) this.subscriptions.add(transport.onClose(() => this.dispose()));
  }

  sendEvent(name: string, payload: unknown): void {
    if (!this.closed) this.transport.send({ kind: 'event', name, payload });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    // Handlers see the abort; their late replies are dropped because `inFlight` no longer holds them.
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.subscriptions.dispose();
    this.transport.close();
    this.onClosed();
  }

  private receive(raw: unknown): void {
    if (this.closed) return;
    const message = parseRpcMessage(raw);
    if (!message) {
      this.server.options.onError?.(new TypeError('Expected an RPC message but received something else'), {});
      const id = (raw as { id?: unknown } | null)?.id;
      // A malformed request with a usable id still gets an answer, so its caller does not wait forever.
      if ((raw as { kind?: unknown } | null)?.kind === 'request' && (typeof id === 'string' || typeof id === 'number')) {
        this.reply({ kind: 'failure', id, error: { code: 'INVALID_INPUT', message: 'The request was malformed and could not be read.' } });
      }
      return;
    }
    if (message.kind === 'request') this.handleRequest(message);
    else if (message.kind === 'cancel') this.cancel(message.id);
    // Results, failures and events only flow towards clients; a client sending them is ignored.
  }

  private cancel(id: MessageId): void {
    const controller = this.inFlight.get(id);
    if (!controller) return; // Already answered: the cancel crossed the reply on the wire.
    this.inFlight.delete(id);
    controller.abort();
  }

  private handleRequest(request: RequestMessage): void {
    const { id, method } = request;
    if (this.inFlight.has(id)) {
      this.reply({ kind: 'failure', id, error: { code: 'INVALID_INPUT', message: `A request with the same id is already running (${method}).` } });
      return;
    }
    if (!hasMethod(this.server.contract, method)) {
      this.reply({ kind: 'failure', id, error: { code: 'INVALID_INPUT', message: `Matte Studio does not know the request "${method}".` } });
      return;
    }
    const definition = this.server.contract.methods[method]!;
    const input = definition.input.safeParse(request.input);
    if (!input.success) {
      this.reply({ kind: 'failure', id, error: { code: 'INVALID_INPUT', message: `The request "${method}" was rejected because its input is not valid.`, detail: z.prettifyError(input.error) } });
      return;
    }
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    void this.run(id, method, input.data, controller);
  }

  private async run(id: MessageId, method: MethodName<C>, input: unknown, controller: AbortController): Promise<void> {
    const context: HandlerContext<C> = {
      signal: controller.signal,
      method,
      emit: (name, payload) => {
        this.server.checkEvent(name, payload);
        // A cancelled job's progress would revive a progress bar the caller already closed.
        if (!controller.signal.aborted) this.sendEvent(name, payload);
      },
    };
    let outcome: { output: unknown } | { error: unknown };
    try {
      const handler = this.server.handlers[method] as (input: unknown, context: HandlerContext<C>) => unknown;
      outcome = { output: this.checkOutput(method, await handler(input, context)) };
    } catch (error) {
      outcome = { error };
    }
    // Only the controller that started this run may answer: after a cancel or a close, the caller has moved on.
    if (this.inFlight.get(id) !== controller) return;
    this.inFlight.delete(id);
    if ('error' in outcome) this.reply({ kind: 'failure', id, error: this.server.toFailure(outcome.error, method, id) });
    else this.reply({ kind: 'result', id, output: outcome.output }, method);
  }

  private checkOutput(method: MethodName<C>, output: unknown): unknown {
    if (!this.server.options.validateOutputs) return output;
    const parsed = this.server.contract.methods[method]!.output.safeParse(output);
    if (!parsed.success) throw new TypeError(`Expected an output matching the contract for "${method}" but received one with issues: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  private reply(message: RpcMessage, method?: string): void {
    if (this.closed) return;
    try {
      this.transport.send(message);
    } catch (error) {
      // A result the transport cannot carry (e.g. a BigInt through JSON) must still end the caller's wait.
      if (message.kind !== 'result') throw error;
      this.transport.send({ kind: 'failure', id: message.id, error: this.server.toFailure(error, method ?? '', message.id) });
    }
  }
}
