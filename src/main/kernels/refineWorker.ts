/**
 * The refinement worker's entry (a `worker_threads` module started by `refinePool.ts`): runs one job at a time and
 * transfers the result's buffers back. The pool sets the job's shared flag to 1 to cancel it.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorData } from '../../shared/errors';
import { kernelTransferables, runKernelJob, type KernelJob } from './kernelJobs';
import { lowerThisThreadPriority } from '../threads/threadPriority';
import { releaseWorkingArrays } from '../../core/workingArrays';
import { idleRelease } from './idleRelease';

/** A job as the pool posts it. */
export interface WorkerRequest {
  id: number;
  job: KernelJob;
  /** One Int32: 0 running, 1 cancelled. */
  cancelFlag: SharedArrayBuffer;
}

if (parentPort) lowerThisThreadPriority(); // the host's turn comes first (threads/threadPriority.ts)

/**
 * The kernels' working arrays are dropped once no job came for a minute (`idleRelease.ts`). An artist looks at a
 * result for a while between adjustments: after 10 s, the limit before, the next full-size preview of a 1080p still
 * paid about 0.15–0.2 s of fresh memory (312–389 ms against 167–186 ms after a 3 s pause, 2-core VM).
 */
const workingArrays = idleRelease(releaseWorkingArrays, 60_000);

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    workingArrays.busy();
    const flag = new Int32Array(request.cancelFlag);
    runKernelJob(request.job, () => Atomics.load(flag, 0) === 1, true) // the pool sends the next job only after this one's reply
      .then(
        (result) => {
          port.postMessage({ kind: 'done', id: request.id, ok: true, result }, kernelTransferables(result));
        },
        (error: unknown) => port.postMessage({ kind: 'done', id: request.id, ok: false, error: toErrorData(error) }),
      )
      .finally(() => workingArrays.idle());
  });
  port.postMessage({ kind: 'ready' });
}
