import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleRelease } from './idleRelease';

afterEach(() => vi.useRealTimers());

describe('idleRelease', () => {
  it('releases once a job has been over for the delay, and not while jobs keep coming', () => {
    vi.useFakeTimers();
    const release = vi.fn();
    const arrays = idleRelease(release, 10_000);
    arrays.busy();
    vi.advanceTimersByTime(60_000); // a long job: nothing is released under it
    expect(release).not.toHaveBeenCalled();
    arrays.idle();
    vi.advanceTimersByTime(9_000);
    arrays.busy(); // the next job came in time
    vi.advanceTimersByTime(5_000);
    expect(release).not.toHaveBeenCalled();
    arrays.idle();
    vi.advanceTimersByTime(9_999);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('counts the delay from the last job only', () => {
    vi.useFakeTimers();
    const release = vi.fn();
    const arrays = idleRelease(release, 1000);
    arrays.idle();
    vi.advanceTimersByTime(600);
    arrays.idle(); // another job ended meanwhile
    vi.advanceTimersByTime(600);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(400);
    expect(release).toHaveBeenCalledTimes(1);
  });
});
