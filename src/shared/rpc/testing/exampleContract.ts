/**
 * A small contract for the RPC tests: plain requests, progress events with cancel, errors, and outputs that break
 * the rules on purpose. Test-only; nothing in the app imports it.
 */
import { z } from 'zod';
import { cancelledError, StudioError } from '../../errors';
import { defineContract, type ContractHandlers } from '../defineContract';

/** The example contract. */
export const exampleContract = defineContract({
  methods: {
    add: { input: z.object({ a: z.number(), b: z.number() }), output: z.number() },
    slowCount: {
      input: z.object({
        to: z.number().int().min(1).max(100_000),
        delayMs: z.number().int().min(0).default(2),
        /** Keep counting after a cancel, to prove the server drops the late result. */
        ignoreSignal: z.boolean().default(false),
      }),
      output: z.object({ counted: z.number() }),
    },
    fail: { input: z.object({ kind: z.enum(['studio', 'plain']) }), output: z.never() },
    /** Returns a string although the contract says number. */
    wrongOutput: { input: z.object({}), output: z.number() },
    /** Returns a BigInt, which JSON cannot carry. */
    unserializable: { input: z.object({}), output: z.unknown() },
  },
  events: {
    onCount: z.object({ count: z.number() }),
    onAnnouncement: z.object({ text: z.string() }),
  },
});

/** The example contract's type. */
export type ExampleContract = typeof exampleContract;

/** What the handlers saw, for assertions from the test side. */
export interface ExampleProbe {
  slowCountStarted: number;
  /** Handlers that observed `signal.aborted` and stopped. */
  slowCountAborted: number;
  /** Handlers that ran to the end although their signal had fired (`ignoreSignal`). */
  slowCountFinishedAfterAbort: number;
  /** Everything the server reported to its `onError`. */
  serverErrors: unknown[];
}

/** A fresh, empty probe. */
export function createProbe(): ExampleProbe {
  return { slowCountStarted: 0, slowCountAborted: 0, slowCountFinishedAfterAbort: 0, serverErrors: [] };
}

/** The secret a plain error carries, which must never reach the user-facing message. */
export const plainErrorSecret = 'connection string postgres://user:hunter2@db';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Handlers for {@link exampleContract} that record into `probe`. */
export function createExampleHandlers(probe: ExampleProbe): ContractHandlers<ExampleContract> {
  return {
    add: ({ a, b }) => a + b,
    slowCount: async ({ to, delayMs, ignoreSignal }, { signal, emit }) => {
      probe.slowCountStarted += 1;
      for (let count = 1; count <= to; count++) {
        await delay(delayMs);
        if (signal.aborted && !ignoreSignal) {
          probe.slowCountAborted += 1;
          throw cancelledError('Counting');
        }
        emit('onCount', { count });
      }
      if (signal.aborted) probe.slowCountFinishedAfterAbort += 1;
      return { counted: to };
    },
    fail: ({ kind }) => {
      if (kind === 'studio') throw new StudioError('DECODE_FAILED', 'The image could not be read.', 'sharp: corrupt header');
      throw new Error(plainErrorSecret);
    },
    wrongOutput: () => 'not a number' as unknown as number,
    unserializable: () => BigInt(1),
  };
}
