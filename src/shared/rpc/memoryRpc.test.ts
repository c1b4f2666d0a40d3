import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from './memoryTransport';
import { RpcClient } from './rpcClient';
import { RpcServer } from './rpcServer';
import { createExampleHandlers, createProbe, exampleContract } from './testing/exampleContract';
import { createRpcHarness, describeRpcContract, rejectionOf, waitFor, type RpcHarness } from './testing/contractSuite';

async function createMemoryHarness(): Promise<RpcHarness> {
  return createRpcHarness(async (server) => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    server.connect(serverSide);
    return { transport: clientSide };
  });
}

describeRpcContract('RPC over the in-memory pair', createMemoryHarness);

describe('RPC edge cases (in-memory)', () => {
  it('answers a malformed request that has an id, and ignores messages that have none', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const probe = createProbe();
    new RpcServer(exampleContract, createExampleHandlers(probe), { onError: (error) => probe.serverErrors.push(error) }).connect(serverSide);
    const received: unknown[] = [];
    clientSide.onMessage((message) => received.push(message));
    clientSide.send({ kind: 'request', id: 7, method: '', input: {} } as never);
    clientSide.send({ kind: 'bogus' } as never);
    await waitFor(() => probe.serverErrors.length === 2, 'both protocol errors to be reported');
    expect(received).toEqual([{ kind: 'failure', id: 7, error: { code: 'INVALID_INPUT', message: expect.any(String) } }]);
  });

  it('rejects a cancelled call at once, without waiting for the server, and sends a cancel for its id', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const seenByServer: unknown[] = [];
    serverSide.onMessage((message) => seenByServer.push(message)); // A server that never answers.
    const client = new RpcClient(exampleContract, clientSide);
    const controller = new AbortController();
    const call = client.api.add({ a: 1, b: 2 }, { signal: controller.signal });
    controller.abort();
    expect((await rejectionOf(call)).code).toBe('CANCELLED');
    await waitFor(() => seenByServer.length === 2, 'the request and the cancel');
    expect(seenByServer).toEqual([
      { kind: 'request', id: 1, method: 'add', input: { a: 1, b: 2 } },
      { kind: 'cancel', id: 1 },
    ]);
  });

  it('refuses a second request with an id that is still running', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    new RpcServer(exampleContract, createExampleHandlers(createProbe())).connect(serverSide);
    const received: Array<{ kind: string; id: number }> = [];
    clientSide.onMessage((message) => received.push(message as { kind: string; id: number }));
    clientSide.send({ kind: 'request', id: 1, method: 'slowCount', input: { to: 3, delayMs: 5 } });
    clientSide.send({ kind: 'request', id: 1, method: 'add', input: { a: 1, b: 1 } });
    await waitFor(() => received.some((message) => message.kind === 'result'), 'the first request to finish');
    expect(received.filter((message) => message.kind !== 'event').map((message) => message.kind)).toEqual(['failure', 'result']);
  });

  it('keeps delivering events to other listeners when one throws, and reports the error', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const server = new RpcServer(exampleContract, createExampleHandlers(createProbe()));
    server.connect(serverSide);
    const clientErrors: unknown[] = [];
    const client = new RpcClient(exampleContract, clientSide, { onError: (error) => clientErrors.push(error) });
    const texts: string[] = [];
    client.api.on('onAnnouncement', () => {
      throw new Error('listener bug');
    });
    client.api.on('onAnnouncement', ({ text }) => texts.push(text));
    server.broadcast('onAnnouncement', { text: 'hello' });
    await waitFor(() => texts.length === 1, 'the second listener');
    expect(clientErrors).toHaveLength(1);
  });

  it('throws at emit/broadcast time for an event outside the contract or, when validating, a bad payload', () => {
    const server = new RpcServer(exampleContract, createExampleHandlers(createProbe()), { validateOutputs: true });
    expect(() => server.broadcast('onNothing' as 'onCount', { count: 1 })).toThrow(/onNothing/);
    expect(() => server.broadcast('onCount', { count: 'one' } as never)).toThrow(/onCount/);
  });

  it('refuses to start without a handler for every method', () => {
    const handlers: Record<string, unknown> = { ...createExampleHandlers(createProbe()) };
    delete handlers.add;
    expect(() => new RpcServer(exampleContract, handlers as never)).toThrow(/"add"/);
  });

  it('disposing the client rejects pending calls and closes the transport for the server too', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const probe = createProbe();
    const server = new RpcServer(exampleContract, createExampleHandlers(probe));
    server.connect(serverSide);
    const client = new RpcClient(exampleContract, clientSide);
    const pending = client.api.slowCount({ to: 100_000 });
    await waitFor(() => probe.slowCountStarted === 1, 'the handler to start');
    client.dispose();
    expect((await rejectionOf(pending)).message).toMatch(/closed/);
    await waitFor(() => server.connectionCount === 0, 'the server to drop the connection');
    await waitFor(() => probe.slowCountAborted === 1, 'the handler to see the abort');
  });

  it('works over a transport that passes objects without serialising (like structured clone)', async () => {
    const [clientSide, serverSide] = createMemoryTransportPair({ serialize: false });
    new RpcServer(exampleContract, createExampleHandlers(createProbe())).connect(serverSide);
    const client = new RpcClient(exampleContract, clientSide);
    expect(await client.api.add({ a: 40, b: 2 })).toBe(42);
  });
});
