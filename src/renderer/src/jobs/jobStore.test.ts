import { describe, expect, it } from 'vitest';
import { createJobId, createJobStore, dismissNotice, finishJob, pushNotice, startJob, updateJobProgress } from './jobStore';

describe('jobStore', () => {
  it('tracks progress by job id and ignores unknown jobs', () => {
    const store = createJobStore();
    startJob(store, { jobId: 'a', kind: 'matte', itemId: 'i', title: 'Cutting out', cancel: () => {} });
    updateJobProgress(store, { jobId: 'a', stage: 'Model', fraction: 0.5 });
    updateJobProgress(store, { jobId: 'b', stage: 'Other', fraction: 0.9 });
    expect(store.getState().jobs.map((job) => [job.jobId, job.stage, job.fraction])).toEqual([['a', 'Model', 0.5]]);
    finishJob(store, 'a');
    expect(store.getState().jobs).toEqual([]);
  });
  it('keeps the newest notices', () => {
    const store = createJobStore();
    for (let index = 0; index < 8; index++) pushNotice(store, 'error', `e${index}`);
    expect(store.getState().notices.map((notice) => notice.text)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    dismissNotice(store, store.getState().notices[0]!.id);
    expect(store.getState().notices).toHaveLength(5);
  });
  it('makes distinct job ids', () => expect(createJobId()).not.toBe(createJobId()));
});
