/**
 * The inference worker's entry (a `worker_threads` module started by `inferenceThread.ts`): owns the ONNX sessions.
 * onnxruntime-node's `run` is synchronous underneath its promise (it only defers the call with `setImmediate`), so a
 * 1024² IS-Net run held the host's event loop for about a second; here it holds only this thread. Requests run one
 * at a time, in order, as they did on the host.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorData } from '../../shared/errors';
import type { InferenceReply, InferenceRequest, OpenedSessionInfo, RunOutcome } from './inferenceProtocol';
import { MattingSession } from './mattingSession';
import { inspectModelFile } from './inspectModelFile';
import { lowerThisThreadPriority } from '../threads/threadPriority';

// Before any session opens: onnxruntime's compute threads inherit this thread's priority.
if (parentPort) lowerThisThreadPriority();

const sessions = new Map<string, Promise<MattingSession>>();

async function handle(request: InferenceRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  if (request.kind === 'open') {
    let opening = sessions.get(request.model.path);
    if (!opening) {
      opening = MattingSession.open(request.model, request.options);
      sessions.set(request.model.path, opening);
      opening.catch(() => sessions.delete(request.model.path));
    }
    const session = await opening;
    const info: OpenedSessionInfo = { model: session.model, provider: session.provider, providerFallbackReasons: [...session.providerFallbackReasons], sizes: { full: session.inputSize('full'), draft: session.inputSize('draft') } };
    return { result: info, transfer: [] };
  }
  if (request.kind === 'run') {
    const session = await sessions.get(request.path);
    if (!session) throw new Error(`no open session for ${request.path}`);
    const { matte, width, height } = await session.run(request.rgb, request.size);
    const outcome: RunOutcome = { matte, width, height, provider: session.provider, providerFallbackReasons: [...session.providerFallbackReasons] };
    return { result: outcome, transfer: [matte.buffer as ArrayBuffer] };
  }
  if (request.kind === 'inspect') return { result: await inspectModelFile(request.path), transfer: [] };
  const session = sessions.get(request.path);
  sessions.delete(request.path);
  await session?.then((open) => open.dispose()).catch(() => {});
  return { result: null, transfer: [] };
}

const port = parentPort;
if (port) {
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (request: InferenceRequest) => {
    queue = queue.then(() =>
      handle(request).then(
        ({ result, transfer }) => port.postMessage({ kind: 'done', id: request.id, ok: true, result } satisfies InferenceReply, transfer),
        (error: unknown) => port.postMessage({ kind: 'done', id: request.id, ok: false, error: toErrorData(error) } satisfies InferenceReply),
      ),
    );
  });
  port.postMessage({ kind: 'ready' } satisfies InferenceReply);
}
