import { describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../../shared/batchTypes';
import { trackBatchProgress } from './batchProgress';

function tracker(kinds: Array<'image' | 'clip'>) {
  const events: BatchProgress[] = [];
  const progress = trackBatchProgress(kinds, { onProgress: (event) => events.push(event), progressIntervalMs: 0 });
  return { progress, last: () => events.at(-1)! };
}

describe('batch progress weighted by work', () => {
  it('counts a clip by its frames, not as one more item', () => {
    const { progress, last } = tracker(['image', 'image', 'clip']);
    progress.item(0, 'a.png', 'done', 1);
    progress.finished(0);
    progress.item(1, 'b.png', 'done', 1);
    progress.finished(1);
    // The clip's length is not known yet: a four-second clip is assumed (2 of 102), not two thirds.
    progress.item(2, 'c.mp4', 'reading', 0);
    expect(last().fraction).toBeCloseTo(2 / 102, 5);
    progress.weigh(2, 10);
    progress.item(2, 'c.mp4', 'exporting', 0.5);
    expect(last().fraction).toBeCloseTo(7 / 12, 5);
    expect(last()).toMatchObject({ itemIndex: 2, itemCount: 3, itemFraction: 0.5 });
  });

  it('assumes the clips not opened yet are as long as those seen, and stills weigh one', () => {
    const { progress, last } = tracker(['clip', 'clip', 'image']);
    progress.weigh(0, 50);
    progress.item(0, 'a.mp4', 'exporting', 1);
    progress.finished(0);
    progress.item(2, 'c.png', 'matting', 0);
    expect(last().fraction).toBeCloseTo(50 / 101, 5);
    // weigh applies to clips only.
    progress.weigh(2, 40);
    progress.item(2, 'c.png', 'done', 1);
    expect(last().fraction).toBeCloseTo(51 / 101, 5);
  });

  it('gives an ETA once an item finished, and ends at 1 (or where a cancel stopped it)', () => {
    const { progress, last } = tracker(['image', 'image']);
    progress.item(0, 'a.png', 'matting', 0.5);
    expect(last().etaSec).toBeUndefined();
    progress.finished(0);
    progress.item(1, 'b.png', 'matting', 0);
    expect(last().etaSec).toBeGreaterThanOrEqual(0);
    progress.end(true);
    expect(last()).toMatchObject({ stage: 'cancelled', fraction: 0.5 });
    progress.end(false);
    expect(last()).toMatchObject({ stage: 'done', fraction: 1 });
  });
});
