/**
 * Every job the engine's kernel worker runs: a refinement (`refineJob.ts`), a cartoon detection, or a matte quality
 * check. Plain data in and out, so each runs in the worker and, where no worker can start, in-process.
 */
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { assessMatte, type MatteAssessment } from '../../core/matting/assessMatte';
import { classicalMatte } from '../../core/matting/classicalMatte';
import { detectCartoon } from '../../core/matting/detectCartoon';
import { runRefineJob, transferablesOf, type RefineJob, type RefineResult } from './refineJob';

/** Whether a picture is a cartoon or line art (previews detect once per picture). */
export interface CartoonJob {
  task: 'detectCartoon';
  image: Image8;
}

/** The tier chain's quality check of a model's matte (empty, covering everything, fragmented). */
export interface AssessJob {
  task: 'assessMatte';
  matte: AlphaMatte;
}

/** Tier 3: the classical matte of a reduced picture. */
export interface ClassicalJob {
  task: 'classicalMatte';
  image: Image8;
}

/** Any kernel job; a refinement carries no `task`. */
export type KernelJob = RefineJob | CartoonJob | AssessJob | ClassicalJob;

/** What each kind of job resolves with. */
export type KernelResult<J extends KernelJob> = J extends CartoonJob ? { isCartoon: boolean; score: number } : J extends AssessJob ? MatteAssessment : J extends ClassicalJob ? AlphaMatte : RefineResult;

/** Runs one job (in the worker or in-process). */
export async function runKernelJob(job: KernelJob, isCancelled: () => boolean): Promise<unknown> {
  if ('task' in job && job.task === 'detectCartoon') {
    const { isCartoon, score } = detectCartoon(job.image);
    return { isCartoon, score };
  }
  if ('task' in job && job.task === 'assessMatte') return assessMatte(job.matte);
  if ('task' in job && job.task === 'classicalMatte') return classicalMatte(job.image);
  return runRefineJob(job as RefineJob, isCancelled);
}

/** The buffers of a job or a result to move between threads instead of copying. */
export function kernelTransferables(value: unknown): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null || 'task' in value) return [];
  return transferablesOf(value as Parameters<typeof transferablesOf>[0]);
}
