/**
 * Every job the engine's kernel workers run: a refinement (`refineJob.ts`), a cartoon detection, a matte quality
 * check, the classical matte, or a still's upsampled matte before it is refined in strips. Plain data in and out, so
 * each runs in a worker and, where no worker can start, in-process.
 */
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import { assessMatte, type MatteAssessment } from '../../core/matting/assessMatte';
import { classicalMatte } from '../../core/matting/classicalMatte';
import { detectCartoon } from '../../core/matting/detectCartoon';
import { guidedUpsample } from '../../core/filters/guidedUpsample';
import type { RefinementSettings } from '../../shared/settings';
import { isOutlineProtected } from '../pipeline/refineCutout';
import { rowWorkOf } from './balancedStrips';
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

/**
 * The whole-picture first step of a still refined in strips across workers: the model's matte upsampled to the
 * picture, and the cartoon outline verdict (both need the whole picture; the strips then refine from them), with each
 * row's estimated work for cutting the strips.
 */
export interface UpsampleJob {
  task: 'upsampleMatte';
  image: Image8;
  matte: AlphaMatte;
  settings: RefinementSettings;
  isCartoonDetected?: boolean;
  cartoonScore?: number;
}

/** Any kernel job; a refinement carries no `task`. */
export type KernelJob = RefineJob | CartoonJob | AssessJob | ClassicalJob | UpsampleJob;

/** What each kind of job resolves with. */
export type KernelResult<J extends KernelJob> = J extends CartoonJob
  ? { isCartoon: boolean; score: number }
  : J extends AssessJob
    ? MatteAssessment
    : J extends ClassicalJob
      ? AlphaMatte
      : J extends UpsampleJob
        ? { alpha: AlphaMatte; isOutlineProtected: boolean; rowWork: Float64Array }
        : RefineResult;

/**
 * Runs one job (in the worker or in-process). `isOnlyJobOnThread`: no other job can run on this thread until this one
 * settles (the worker's case), so a refinement may keep its planes in working arrays (`refineCutout.ts`).
 */
export async function runKernelJob(job: KernelJob, isCancelled: () => boolean, isOnlyJobOnThread = false): Promise<unknown> {
  if ('task' in job && job.task === 'detectCartoon') {
    const { isCartoon, score } = detectCartoon(job.image);
    return { isCartoon, score };
  }
  if ('task' in job && job.task === 'assessMatte') return assessMatte(job.matte);
  if ('task' in job && job.task === 'classicalMatte') return classicalMatte(job.image);
  if ('task' in job && job.task === 'upsampleMatte') {
    const alpha = guidedUpsample(job.matte, job.image);
    return { alpha, isOutlineProtected: isOutlineProtected(job.image, alpha, job.settings, job), rowWork: rowWorkOf(alpha) };
  }
  return runRefineJob(job as RefineJob, isCancelled, isOnlyJobOnThread);
}

/** The buffers of a job or a result to move between threads instead of copying. */
export function kernelTransferables(value: unknown): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null || 'task' in value) return [];
  if ('isOutlineProtected' in value) return [(value as KernelResult<UpsampleJob>).alpha.data.buffer as ArrayBuffer];
  return transferablesOf(value as Parameters<typeof transferablesOf>[0]);
}
