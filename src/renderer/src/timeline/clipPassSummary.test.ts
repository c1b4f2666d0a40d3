import { describe, expect, it } from 'vitest';
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import { summarizeClipPass } from './clipPassSummary';

function coverage(state: MattingCoverage['state'], mattedFrames: number, fullFrames: number, message?: string): MattingCoverage {
  return { itemId: 'clip', jobId: 'job', state, frameCount: 250, mattedFrames, ranges: [[0, mattedFrames]], fullFrames, fullRanges: [[0, fullFrames]], ...(message ? { message } : {}) };
}

describe('summarizeClipPass', () => {
  it('says nothing before the engine reported', () => {
    expect(summarizeClipPass(undefined)).toBeUndefined();
  });

  it('reads a queued or running pass as running, counting draft and full frames apart', () => {
    const running = summarizeClipPass(coverage('running', 120, 40))!;
    expect(running).toMatchObject({ phase: 'running', canResume: false });
    expect(running.text).toContain('120 of 250 frames matted, 40 at full quality');
    // A draft sweep and a full one: each frame counts twice, as in the job line.
    expect(running.fraction).toBeCloseTo((120 + 40) / 500);
    expect(summarizeClipPass(coverage('queued', 0, 0))!.phase).toBe('running');
  });

  it('offers Resume only for a stopped or failed pass with frames left', () => {
    const stopped = summarizeClipPass(coverage('cancelled', 90, 90))!;
    expect(stopped).toMatchObject({ phase: 'stopped', canResume: true });
    expect(stopped.text).toContain('stopped: 90 of 250 frames matted');
    const failed = summarizeClipPass(coverage('failed', 10, 10, 'The model ran out of memory'))!;
    expect(failed).toMatchObject({ phase: 'failed', canResume: true });
    expect(failed.text).toContain('The model ran out of memory');
    // Cancelled after the last frame: nothing left to resume.
    expect(summarizeClipPass(coverage('cancelled', 250, 250))).toMatchObject({ phase: 'complete', canResume: false, fraction: 1 });
  });

  it('reads a finished pass as complete even when the clip decoded fewer frames than announced', () => {
    expect(summarizeClipPass(coverage('done', 250, 250))!.text).toBe('All 250 frames matted.');
    expect(summarizeClipPass(coverage('done', 248, 248))).toMatchObject({ phase: 'complete', canResume: false });
  });
});
