/**
 * The RPC behaviour every transport must show, written once and run over the in-memory pair (shared/rpc) and over
 * a real loopback WebSocket (main/host). Test-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStudioError, StudioError } from '../../errors';
import type { ContractClient } from '../defineContract';
import { RpcClient } from '../rpcClient';
import { RpcServer } from '../rpcServer';
import type { Transport } from '../transport';
import { createExampleHandlers, createProbe, exampleContract, plainErrorSecret, type ExampleContract, type ExampleProbe } from './exampleContract';

/** A connected client and server over one transport. */
export interface RpcHarness {
  api: ContractClient<ExampleContract>;
  client: RpcClient<ExampleContract>;
  server: RpcServer<ExampleContract>;
  probe: ExampleProbe;
  /** Every message that reached the client's transport, in order. */
  received: unknown[];
  dispose(): Promise<void>;
}

/**
 * Builds a harness: the example server with a fresh probe, connected to a client through whatever transport
 * `connect` sets up (an in-memory pair, a loopback WebSocket), and torn down with `close`.
 */
export async function createRpcHarness(connect: (server: RpcServer<ExampleContract>) => Promise<{ transport: Transport; close?: () => Promise<void> }>): Promise<RpcHarness> {
  const probe = createProbe();
  const server = new RpcServer(exampleContract, createExampleHandlers(probe), {
    validateOutputs: true,
    onError: (error) => probe.serverErrors.push(error),
  });
  const { transport, close } = await connect(server);
  const received: unknown[] = [];
  transport.onMessage((message) => received.push(message));
  const client = new RpcClient(exampleContract, transport);
  return {
    api: client.api,
    client,
    server,
    probe,
    received,
    dispose: async () => {
      client.dispose();
      server.dispose();
      await close?.();
    },
  };
}

/** Polls `condition` until it holds; fails the test with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Settles `promise` into the error it rejected with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<StudioError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`Expected a rejection but the call resolved with ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof StudioError)) throw new Error(`Expected a StudioError but received ${String(outcome.error)}`);
  return outcome.error;
}

const idsOf = (received: unknown[], kind: string) =>
  received.filter((message) => (message as { kind?: unknown }).kind === kind).map((message) => (message as { id: unknown }).id);

/** Defines the shared RPC tests under `name`, each with a fresh harness. */
export function describeRpcContract(name: string, createHarness: () => Promise<RpcHarness>): void {
  describe(name, () => {
    let harness: RpcHarness;
    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness.dispose();
    });

    it('answers a request with its result and applies input defaults', async () => {
      expect(await harness.api.add({ a: 2, b: 3 })).toBe(5);
      expect(await harness.api.slowCount({ to: 2 })).toEqual({ counted: 2 });
    });

    it('delivers events in order before the result, and stops after unsubscribing', async () => {
      const counts: number[] = [];
      const subscription = harness.api.on('onCount', ({ count }) => counts.push(count));
      await harness.api.slowCount({ to: 3, delayMs: 0 });
      expect(counts).toEqual([1, 2, 3]);
      subscription.dispose();
      await harness.api.slowCount({ to: 2, delayMs: 0 });
      expect(counts).toEqual([1, 2, 3]);
    });

    it('broadcasts server events to the client', async () => {
      const texts: string[] = [];
      harness.api.on('onAnnouncement', ({ text }) => texts.push(text));
      harness.server.broadcast('onAnnouncement', { text: 'models changed' });
      await waitFor(() => texts.length === 1, 'the broadcast');
      expect(texts).toEqual(['models changed']);
    });

    it('cancels: the caller rejects with CANCELLED and the handler sees its signal fire', async () => {
      const controller = new AbortController();
      const counts: number[] = [];
      harness.api.on('onCount', ({ count }) => counts.push(count));
      const call = harness.api.slowCount({ to: 100_000, delayMs: 2 }, { signal: controller.signal });
      await waitFor(() => counts.length > 0, 'the first progress event');
      controller.abort();
      const error = await rejectionOf(call);
      expect(error.code).toBe('CANCELLED');
      await waitFor(() => harness.probe.slowCountAborted === 1, 'the handler to see the abort');
      expect(idsOf(harness.received, 'result')).toEqual([]);
      expect(idsOf(harness.received, 'failure')).toEqual([]);
    });

    it('delivers nothing for a cancelled request, even when its handler ignores the signal and finishes', async () => {
      const controller = new AbortController();
      const counts: number[] = [];
      harness.api.on('onCount', ({ count }) => counts.push(count));
      const call = harness.api.slowCount({ to: 100, delayMs: 3, ignoreSignal: true }, { signal: controller.signal });
      await waitFor(() => counts.length > 0, 'the first progress event');
      controller.abort();
      expect((await rejectionOf(call)).code).toBe('CANCELLED');
      await waitFor(() => harness.probe.slowCountFinishedAfterAbort === 1, 'the handler to finish');
      // A round trip after the handler finished proves any late reply would have arrived by now (ordered transport).
      expect(await harness.api.add({ a: 1, b: 1 })).toBe(2);
      expect(idsOf(harness.received, 'result')).toHaveLength(1);
      // Events already on the wire may land; the ~95 emitted after the cancel must not (a loose bound: CI is slow).
      expect(counts.length).toBeLessThan(50);
    });

    it('rejects at once without sending when the signal has already fired', async () => {
      const error = await rejectionOf(harness.api.slowCount({ to: 1 }, { signal: AbortSignal.abort() }));
      expect(error.code).toBe('CANCELLED');
      expect(await harness.api.add({ a: 0, b: 0 })).toBe(0);
      expect(harness.probe.slowCountStarted).toBe(0);
    });

    it('round-trips a StudioError with its code, message and detail', async () => {
      const error = await rejectionOf(harness.api.fail({ kind: 'studio' }));
      expect(isStudioError(error, 'DECODE_FAILED')).toBe(true);
      expect(error.message).toBe('The image could not be read.');
      expect(error.detail).toBe('sharp: corrupt header');
    });

    it('turns any other error into INTERNAL without leaking it into the message or a stack into the detail', async () => {
      const error = await rejectionOf(harness.api.fail({ kind: 'plain' }));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).not.toContain('hunter2');
      expect(error.detail ?? '').not.toMatch(/\n\s+at /);
      expect(harness.probe.serverErrors).toHaveLength(1);
      expect(String(harness.probe.serverErrors[0])).toContain(plainErrorSecret);
    });

    it('rejects invalid input with INVALID_INPUT naming the method, without running the handler', async () => {
      const error = await rejectionOf(harness.api.slowCount({ to: 'three' as unknown as number }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain('slowCount');
      expect(harness.probe.slowCountStarted).toBe(0);
    });

    it('rejects an unknown method, including inherited property names', async () => {
      for (const method of ['nope', 'toString', '__proto__']) {
        const error = await rejectionOf(harness.client.call(method as 'add', { a: 1, b: 1 }));
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toContain(method);
      }
    });

    it('fails an output that breaks the contract, and one the wire cannot carry, instead of hanging', async () => {
      expect((await rejectionOf(harness.api.wrongOutput({}))).code).toBe('INTERNAL');
      expect((await rejectionOf(harness.api.unserializable({}))).code).toBe('INTERNAL');
    });

    it('rejects every pending call when the connection closes, aborts the handler, and refuses later calls', async () => {
      const counts: number[] = [];
      harness.api.on('onCount', ({ count }) => counts.push(count));
      const pending = harness.api.slowCount({ to: 100_000, delayMs: 2 });
      await waitFor(() => counts.length > 0, 'the first progress event');
      harness.server.dispose();
      const error = await rejectionOf(pending);
      expect(error.code).toBe('DISCONNECTED');
      expect(error.message).toMatch(/connection .* closed/);
      await waitFor(() => harness.probe.slowCountAborted === 1, 'the handler to see the abort');
      expect(harness.client.isClosed).toBe(true);
      expect((await rejectionOf(harness.api.add({ a: 1, b: 2 }))).message).toMatch(/closed/);
    });
  });
}
