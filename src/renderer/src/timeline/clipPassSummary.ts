/**
 * A clip's background pass in words, for the library badge and the timeline: a clip whose first frame is matted is
 * "done" as an item, yet its pass may still be running, or stopped (cancelled, failed) with frames left unmatted —
 * which the artist must be able to see, and resume.
 */
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import { coverageProgress } from './matteCoverage';

/** Where the pass stands. */
export type ClipPassPhase = 'running' | 'complete' | 'stopped' | 'failed';

/** The pass of one clip, ready to show. */
export interface ClipPassSummary {
  readonly phase: ClipPassPhase;
  /** One sentence for tooltips. */
  readonly text: string;
  /** How far the pass got, 0–1, as its job line counts it (a draft sweep and a full one where the model drafts). */
  readonly fraction: number;
  /** True when frames are left and no pass is running: Resume would start one. */
  readonly canResume: boolean;
}

function framesWord(count: number): string {
  return `${count} frame${count === 1 ? '' : 's'}`;
}

/** The summary of an engine coverage report; undefined before the engine has reported on the clip. */
export function summarizeClipPass(coverage: MattingCoverage | undefined): ClipPassSummary | undefined {
  if (!coverage) return undefined;
  const { frameCount, mattedFrames, fullFrames, state } = coverage;
  const fraction = Math.min(1, coverageProgress(coverage).fraction);
  const progress =
    fullFrames >= mattedFrames ? `${mattedFrames} of ${framesWord(frameCount)} matted` : `${mattedFrames} of ${framesWord(frameCount)} matted, ${fullFrames} at full quality`;
  if (state === 'queued' || state === 'running') return { phase: 'running', text: `Matting in the background: ${progress}.`, fraction, canResume: false };
  if (fullFrames >= frameCount) return { phase: 'complete', text: `All ${framesWord(frameCount)} matted.`, fraction: 1, canResume: false };
  // A finished pass that decoded fewer frames than the container announced: nothing is left for a pass to do.
  if (state === 'done') return { phase: 'complete', text: `Every frame the clip decodes is matted (${progress}).`, fraction, canResume: false };
  // Exports matte what is missing themselves, so a stopped pass costs time, never frames.
  const rest = 'Resume to finish it; an export mattes the missing frames itself.';
  if (state === 'failed') return { phase: 'failed', text: `Background matting failed${coverage.message ? ` (${coverage.message})` : ''}: ${progress}. ${rest}`, fraction, canResume: true };
  return { phase: 'stopped', text: `Background matting stopped: ${progress}. ${rest}`, fraction, canResume: true };
}
