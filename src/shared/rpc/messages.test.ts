import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineContract, hasMethod } from './defineContract';
import { createMemoryTransportPair } from './memoryTransport';
import { parseRpcMessage } from './messages';

describe('parseRpcMessage', () => {
  it('accepts each of the five kinds', () => {
    const messages = [
      { kind: 'request', id: 1, method: 'add', input: { a: 1 } },
      { kind: 'result', id: 'a-1', output: 3 },
      { kind: 'failure', id: 2, error: { code: 'DISK_FULL', message: 'The disk is full.' } },
      { kind: 'event', name: 'onJobProgress', payload: { fraction: 0.5 } },
      { kind: 'cancel', id: 1 },
    ];
    for (const message of messages) expect(parseRpcMessage(message)).toEqual(message);
  });

  it('rejects unknown kinds, bad ids and event names that do not read onX', () => {
    expect(parseRpcMessage({ kind: 'shout', id: 1 })).toBeUndefined();
    expect(parseRpcMessage({ kind: 'cancel', id: -1 })).toBeUndefined();
    expect(parseRpcMessage({ kind: 'cancel', id: '' })).toBeUndefined();
    expect(parseRpcMessage({ kind: 'cancel', id: 1.5 })).toBeUndefined();
    expect(parseRpcMessage({ kind: 'event', name: 'progress', payload: 1 })).toBeUndefined();
    expect(parseRpcMessage({ kind: 'event', name: 'once', payload: 1 })).toBeUndefined();
    expect(parseRpcMessage(null)).toBeUndefined();
    expect(parseRpcMessage('{"kind":"cancel","id":1}')).toBeUndefined();
  });

  it('degrades an error code this build does not know to INTERNAL, keeping the sentence', () => {
    const message = parseRpcMessage({ kind: 'failure', id: 1, error: { code: 'FROM_THE_FUTURE', message: 'Try again.' } });
    expect(message).toEqual({ kind: 'failure', id: 1, error: { code: 'INTERNAL', message: 'Try again.' } });
  });
});

describe('defineContract', () => {
  it('refuses event names that do not read onX and method names the client uses itself', () => {
    expect(() => defineContract({ methods: {}, events: { onprogress: z.number() } })).toThrow(/onprogress/);
    expect(() => defineContract({ methods: {}, events: { progress: z.number() } as never })).toThrow(/progress/);
    expect(() => defineContract({ methods: { then: { input: z.object({}), output: z.void() } }, events: {} })).toThrow(/then/);
    expect(() => defineContract({ methods: { on: { input: z.object({}), output: z.void() } }, events: {} })).toThrow(/"on"/);
  });

  it('finds only its own methods, not inherited properties', () => {
    const contract = defineContract({ methods: { add: { input: z.object({}), output: z.number() } }, events: {} });
    expect(hasMethod(contract, 'add')).toBe(true);
    expect(hasMethod(contract, 'toString')).toBe(false);
    expect(hasMethod(contract, 'constructor')).toBe(false);
  });
});

describe('createMemoryTransportPair', () => {
  it('delivers asynchronously, as JSON, and messages sent before close arrive before the close event', async () => {
    const [left, right] = createMemoryTransportPair();
    const log: string[] = [];
    right.onMessage((message) => log.push(JSON.stringify(message)));
    left.onClose?.(() => log.push('left closed'));
    right.onClose?.(() => log.push('right closed'));
    left.send({ kind: 'result', id: 1, output: { when: new Date(0) } });
    expect(log).toEqual([]);
    left.close();
    left.send({ kind: 'cancel', id: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['{"kind":"result","id":1,"output":{"when":"1970-01-01T00:00:00.000Z"}}', 'right closed', 'left closed']);
  });
});
