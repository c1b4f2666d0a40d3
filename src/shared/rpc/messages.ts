/**
 * The RPC wire protocol: five plain-data message kinds, validated with zod on arrival.
 *
 * Messages are JSON-serialisable objects only (no classes, no functions, no typed arrays), so the same message crosses
 * an Electron IPC channel (structured clone), a WebSocket (JSON text) or an in-memory pair unchanged.
 */
import { z } from 'zod';
import { errorCodes } from '../errors';

/** A request id, unique per client while the request is in flight. Clients use counters; strings are accepted too. */
export const messageIdSchema = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(128)]);
/** Parsed {@link messageIdSchema}. */
export type MessageId = z.output<typeof messageIdSchema>;

/** Event names read `onX`: `onJobProgress`, `onModelsChanged`. */
export const eventNamePattern = /^on[A-Z][A-Za-z0-9]*$/;

/**
 * The wire form of an error. A code this build does not know (a newer engine talking to an older renderer) degrades
 * to `INTERNAL` rather than failing the whole message, so the user still sees the sentence.
 */
export const errorDataSchema = z.object({
  code: z.enum(errorCodes).catch('INTERNAL'),
  message: z.string(),
  detail: z.string().optional(),
});

/** Client → server: call `method` with `input`. */
export const requestMessageSchema = z.object({
  kind: z.literal('request'),
  id: messageIdSchema,
  method: z.string().min(1).max(128),
  input: z.unknown(),
});

/** Server → client: the request `id` succeeded. */
export const resultMessageSchema = z.object({
  kind: z.literal('result'),
  id: messageIdSchema,
  output: z.unknown(),
});

/** Server → client: the request `id` failed with `error`. */
export const failureMessageSchema = z.object({
  kind: z.literal('failure'),
  id: messageIdSchema,
  error: errorDataSchema,
});

/** Server → client: an event not tied to one request reply (progress, changes). */
export const eventMessageSchema = z.object({
  kind: z.literal('event'),
  name: z.string().regex(eventNamePattern),
  payload: z.unknown(),
});

/** Client → server: stop the request `id`. The server answers nothing further for that id. */
export const cancelMessageSchema = z.object({
  kind: z.literal('cancel'),
  id: messageIdSchema,
});

/** Any message of the protocol. */
export const rpcMessageSchema = z.discriminatedUnion('kind', [
  requestMessageSchema,
  resultMessageSchema,
  failureMessageSchema,
  eventMessageSchema,
  cancelMessageSchema,
]);

/** Parsed {@link requestMessageSchema}. */
export type RequestMessage = z.output<typeof requestMessageSchema>;
/** Parsed {@link resultMessageSchema}. */
export type ResultMessage = z.output<typeof resultMessageSchema>;
/** Parsed {@link failureMessageSchema}. */
export type FailureMessage = z.output<typeof failureMessageSchema>;
/** Parsed {@link eventMessageSchema}. */
export type EventMessage = z.output<typeof eventMessageSchema>;
/** Parsed {@link cancelMessageSchema}. */
export type CancelMessage = z.output<typeof cancelMessageSchema>;
/** Parsed {@link rpcMessageSchema}. */
export type RpcMessage = z.output<typeof rpcMessageSchema>;

/** Validates something that arrived from a transport; `undefined` when it is not a protocol message. */
export function parseRpcMessage(value: unknown): RpcMessage | undefined {
  const parsed = rpcMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
