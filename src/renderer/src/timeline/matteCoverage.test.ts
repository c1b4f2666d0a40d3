import { describe, expect, it } from 'vitest';
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import type { StudioApi } from '../connection/connectStudio';
import { createJobStore } from '../jobs/jobStore';
import { isFrameInRanges, matteCoverageFor } from './matteCoverage';

describe('isFrameInRanges', () => {
  it('finds frames in half-open ranges', () => {
    const ranges: Array<[number, number]> = [[0, 3], [5, 6], [10, 20]];
    expect([0, 2, 3, 4, 5, 6, 9, 10, 19, 20].map((frame) => isFrameInRanges(ranges, frame))).toEqual([true, true, false, false, true, false, false, true, true, false]);
    expect(isFrameInRanges([], 0)).toBe(false);
  });
});

/** An engine fake whose coverage events the test sends itself with `send`. */
function fakeApi() {
  let listener: ((coverage: MattingCoverage) => void) | undefined;
  const api = {
    on: (_name: string, handler: (coverage: MattingCoverage) => void) => ((listener = handler), { dispose: () => (listener = undefined) }),
    watchMatting: () => new Promise(() => {}),
    cancelBackgroundMatting: () => Promise.resolve({ ok: true }),
  } as unknown as StudioApi;
  return { api, send: (coverage: MattingCoverage) => listener!(coverage) };
}

describe('matteCoverageFor', () => {
  it('keeps coverage per item and shows a running pass as a job whose Cancel reaches the engine', () => {
    let listener: ((coverage: MattingCoverage) => void) | undefined;
    const cancelled: string[] = [];
    let watchSignal: AbortSignal | undefined;
    const api = {
      on: (_name: string, handler: (coverage: MattingCoverage) => void) => ((listener = handler), { dispose: () => (listener = undefined) }),
      watchMatting: (_input: object, options: { signal: AbortSignal }) => ((watchSignal = options.signal), new Promise(() => {})),
      cancelBackgroundMatting: ({ itemId }: { itemId: string }) => (cancelled.push(itemId), Promise.resolve({ ok: true })),
    } as unknown as StudioApi;
    const jobs = createJobStore();
    const coverage = matteCoverageFor(api, { jobs, nameOf: () => 'clip.mp4' });
    expect(matteCoverageFor(api)).toBe(coverage);
    const report = (state: MattingCoverage['state'], ranges: Array<[number, number]>): MattingCoverage => ({ itemId: 'a', jobId: 'job-a', state, frameCount: 10, mattedFrames: ranges.reduce((sum, [start, end]) => sum + end - start, 0), ranges, fullFrames: ranges.reduce((sum, [start, end]) => sum + end - start, 0), fullRanges: ranges });
    listener!(report('running', [[0, 4]]));
    expect(coverage.isMatted('a', 3)).toBe(true);
    expect(coverage.isMatted('a', 4)).toBe(false);
    expect(coverage.isMatted('b', 0)).toBe(false);
    expect(jobs.getState().jobs).toMatchObject([{ jobId: 'job-a', title: 'Matting “clip.mp4” in the background', fraction: 0.4, stage: '4 of 10 frames matted' }]);
    jobs.getState().jobs[0]!.cancel();
    expect(cancelled).toEqual(['a']);
    listener!(report('cancelled', [[0, 5]]));
    expect(jobs.getState().jobs).toEqual([]);
    expect(coverage.isMatted('a', 4)).toBe(true);
    coverage.dispose();
    expect(watchSignal?.aborted).toBe(true);
    expect(listener).toBeUndefined();
  });

  it('names a pass that started before the document listed its clip as soon as the document does', () => {
    const { api, send } = fakeApi();
    const jobs = createJobStore();
    const names = new Map<string, string>();
    const coverage = matteCoverageFor(api, { jobs, nameOf: (itemId) => names.get(itemId) });
    const report = (mattedFrames: number): MattingCoverage => ({ itemId: 'a', jobId: 'job-a', state: 'running', frameCount: 10, mattedFrames, ranges: [[0, mattedFrames]], fullFrames: mattedFrames, fullRanges: [[0, mattedFrames]] });
    send(report(1));
    expect(jobs.getState().jobs.map((job) => job.title)).toEqual(['Matting a clip in the background']);
    names.set('a', 'talk.mp4');
    send(report(2));
    expect(jobs.getState().jobs).toMatchObject([{ title: 'Matting “talk.mp4” in the background', stage: '2 of 10 frames matted' }]);
    coverage.dispose();
  });

  it('shows a running pass as a job when the jobs bar arrives after a reader created the coverage', () => {
    const { api, send } = fakeApi();
    // The library grid reads coverage first, without jobs.
    const coverage = matteCoverageFor(api);
    send({ itemId: 'a', jobId: 'job-a', state: 'running', frameCount: 10, mattedFrames: 3, ranges: [[0, 3]], fullFrames: 3, fullRanges: [[0, 3]] });
    const jobs = createJobStore();
    expect(matteCoverageFor(api, { jobs, nameOf: () => 'talk.mp4' })).toBe(coverage);
    expect(jobs.getState().jobs).toMatchObject([{ jobId: 'job-a', title: 'Matting “talk.mp4” in the background', stage: '3 of 10 frames matted' }]);
    send({ itemId: 'a', jobId: 'job-a', state: 'done', frameCount: 10, mattedFrames: 10, ranges: [[0, 10]], fullFrames: 10, fullRanges: [[0, 10]] });
    expect(jobs.getState().jobs).toEqual([]);
    coverage.dispose();
  });
});
