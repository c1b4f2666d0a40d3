/**
 * Declares an RPC contract: for each method an input and an output schema, for each event a payload schema.
 * The client and handler types are derived from it, so main and renderer agree without importing each other.
 *
 * Schemas should describe plain data (objects, arrays, strings, numbers, booleans, null). Input schemas may carry
 * defaults: the server always parses inputs, so handlers see the parsed (`z.output`) form while callers may send the
 * looser `z.input` form. Output and event schemas should not transform: they are only checked in development and
 * tests (see `RpcServerOptions.validateOutputs`), so in production the handler's value travels as it is.
 */
import type { z } from 'zod';
import type { Disposable } from '../disposable';
import { eventNamePattern } from './messages';

/** Event names read `onX`. */
export type EventName = `on${string}`;

/** One request: what it takes and what it returns. Use `z.void()` for "returns nothing". */
export interface MethodDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  readonly input: Input;
  readonly output: Output;
}

/** The whole list of requests and events. Build it with {@link defineContract}. */
export interface Contract<
  Methods extends Record<string, MethodDefinition> = Record<string, MethodDefinition>,
  Events extends Record<EventName, z.ZodType> = Record<EventName, z.ZodType>,
> {
  readonly methods: Methods;
  readonly events: Events;
}

/** Method names of a contract. */
export type MethodName<C extends Contract> = keyof C['methods'] & string;
/** What a caller passes to `method` (before defaults). */
export type MethodInput<C extends Contract, K extends MethodName<C>> = z.input<C['methods'][K]['input']>;
/** What a handler receives for `method` (after validation and defaults). */
export type HandlerInput<C extends Contract, K extends MethodName<C>> = z.output<C['methods'][K]['input']>;
/** What `method` resolves to. */
export type MethodOutput<C extends Contract, K extends MethodName<C>> = z.output<C['methods'][K]['output']>;
/** Event names of a contract. */
export type EventNameOf<C extends Contract> = keyof C['events'] & EventName;
/** The payload of event `E`. */
export type EventPayload<C extends Contract, E extends EventNameOf<C>> = z.output<C['events'][E]>;

/** Per-call options on the client. */
export interface CallOptions {
  /** Aborting sends a cancel message and rejects the call at once with a `CANCELLED` StudioError. */
  signal?: AbortSignal;
}

/** The renderer's view of a contract: one async function per method, plus event subscription. */
export type ContractClient<C extends Contract> = {
  readonly [K in MethodName<C>]: (input: MethodInput<C, K>, options?: CallOptions) => Promise<MethodOutput<C, K>>;
} & {
  /** Subscribes to an event; dispose the result to unsubscribe. */
  on<E extends EventNameOf<C>>(name: E, listener: (payload: EventPayload<C, E>) => void): Disposable;
};

/** What a handler gets besides its input. */
export interface HandlerContext<C extends Contract> {
  /** Fires when the client cancels this request or the connection closes. Pass it down to every long operation. */
  readonly signal: AbortSignal;
  /** The method being served, for logs. */
  readonly method: MethodName<C>;
  /** Sends an event to the calling connection only (e.g. progress of this request's job). */
  emit<E extends EventNameOf<C>>(name: E, payload: EventPayload<C, E>): void;
}

/** The engine's implementation of a contract: one (possibly async) function per method. */
export type ContractHandlers<C extends Contract> = {
  readonly [K in MethodName<C>]: (
    input: HandlerInput<C, K>,
    context: HandlerContext<C>,
  ) => Promise<MethodOutput<C, K>> | MethodOutput<C, K>;
};

/** Names the client object uses itself, so a method may not take them. */
const reservedMethodNames = new Set(['on', 'then', 'constructor', '__proto__', 'prototype']);

/**
 * Declares a contract. Checks names once at start-up: events must read `onX`, and methods may not shadow `on` or
 * `then` (a client with a `then` method would be mistaken for a promise by `await`).
 *
 * @example
 * const contract = defineContract({
 *   methods: { add: { input: z.object({ a: z.number(), b: z.number() }), output: z.number() } },
 *   events: { onTick: z.object({ count: z.number() }) },
 * });
 */
export function defineContract<
  const Methods extends Record<string, MethodDefinition>,
  const Events extends Record<EventName, z.ZodType>,
>(definition: { methods: Methods; events: Events }): Contract<Methods, Events> {
  for (const name of Object.keys(definition.methods)) {
    if (reservedMethodNames.has(name)) throw new TypeError(`Expected a method name other than "${name}" for a contract method but received "${name}"`);
  }
  for (const name of Object.keys(definition.events)) {
    if (!eventNamePattern.test(name)) throw new TypeError(`Expected an event name of the form onX for a contract event but received "${name}"`);
  }
  return Object.freeze({ methods: definition.methods, events: definition.events });
}

/** True when `name` is one of the contract's own methods (not an inherited property like `toString`). */
export function hasMethod<C extends Contract>(contract: C, name: string): name is MethodName<C> {
  return Object.hasOwn(contract.methods, name);
}

/** True when `name` is one of the contract's own events. */
export function hasEvent<C extends Contract>(contract: C, name: string): name is EventNameOf<C> {
  return Object.hasOwn(contract.events, name);
}
