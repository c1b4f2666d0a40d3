/** The messages between the host and the inference worker (`inferenceWorker.ts`, driven by `inferenceThread.ts`). */
import type { ErrorData } from '../../shared/errors';
import type { ExecutionProviderId } from './executionProviders';
import type { InferenceQuality, InputSize } from './inferenceQuality';
import type { MattingSessionOptions, RunnableModel } from './mattingSession';

/** What the host asks: open (or reuse) a model's session, run it, or close it. */
export type InferenceRequest =
  | { kind: 'open'; id: number; model: RunnableModel; options: MattingSessionOptions }
  | { kind: 'run'; id: number; path: string; rgb: Uint8Array; size: InputSize }
  | { kind: 'close'; id: number; path: string }
  /** Reads a model file's declared inputs and outputs (a custom model being recognised); no session is kept. */
  | { kind: 'inspect'; id: number; path: string };

/** An open session as the host sees it. */
export interface OpenedSessionInfo {
  model: RunnableModel;
  provider: ExecutionProviderId;
  providerFallbackReasons: string[];
  /** The input size of each quality (the graph decides whether `draft` is smaller). */
  sizes: Record<InferenceQuality, InputSize>;
}

/** One run's matte, and the provider that ran it (a GPU provider failing at run time moves the session on). */
export interface RunOutcome {
  matte: Float32Array;
  width: number;
  height: number;
  provider: ExecutionProviderId;
  providerFallbackReasons: string[];
}

/** What the worker answers. */
export type InferenceReply = { kind: 'ready' } | ({ kind: 'done'; id: number } & ({ ok: true; result: unknown } | { ok: false; error: ErrorData }));
