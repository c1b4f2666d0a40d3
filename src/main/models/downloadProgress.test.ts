import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../shared/jobs';
import { throttleDownloadProgress } from './downloadProgress';

const at = (fraction: number): JobProgress => ({ stage: 'download', fraction });

describe('throttleDownloadProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes the first report, holds the burst, and delivers the newest held report when the interval is over', () => {
    const seen: number[] = [];
    const { report } = throttleDownloadProgress((progress) => seen.push(progress.fraction), 100, () => Date.now());
    report(at(0));
    report(at(0.2));
    report(at(0.5));
    expect(seen).toEqual([0]);
    // The server stalls here: the bar must still reach where the burst ended.
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([0, 0.5]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([0, 0.5]);
  });

  it('delivers the end at once and drops a held report once stopped (cancelled)', () => {
    const seen: number[] = [];
    const throttle = throttleDownloadProgress((progress) => seen.push(progress.fraction), 100, () => Date.now());
    throttle.report(at(0));
    throttle.report(at(0.3));
    throttle.report(at(1));
    expect(seen).toEqual([0, 1]);
    throttle.report(at(0.4));
    throttle.stop();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([0, 1]);
  });
});
