import { describe, expect, it } from 'vitest';
import { gridLayout, scrollTopToReveal, visibleRowRange } from './virtualGrid';
import { partitionNewItems, toDocumentItem } from './itemInfo';

describe('gridLayout', () => {
  it('fits columns and stretches cells', () => {
    const layout = gridLayout(248, 1000, 100, 8, 0.75, 20);
    expect(layout.columns).toBe(2);
    expect(layout.cellWidth).toBe(112);
    expect(layout.rowHeight).toBe(Math.round(112 * 0.75 + 28));
    expect(layout.rowCount).toBe(500);
  });
  it('keeps one column when narrow', () => expect(gridLayout(10, 3, 100, 8, 1, 0).columns).toBe(1));
});

describe('visibleRowRange', () => {
  it('covers the viewport plus overscan', () => {
    expect(visibleRowRange(1000, 300, 100, 5000, 2)).toEqual({ first: 8, last: 15 });
    expect(visibleRowRange(0, 300, 100, 2, 2)).toEqual({ first: 0, last: 1 });
    expect(visibleRowRange(0, 300, 100, 0)).toEqual({ first: 0, last: -1 });
  });
  it('renders a bounded number of rows for thousands of items', () => {
    const range = visibleRowRange(123_456, 800, 120, 10_000, 2);
    expect(range.last - range.first + 1).toBeLessThanOrEqual(13);
  });
  it('reveals rows', () => {
    expect(scrollTopToReveal(10, 100, 0, 300)).toBe(800);
    expect(scrollTopToReveal(1, 100, 500, 300)).toBe(100);
    expect(scrollTopToReveal(6, 100, 500, 300)).toBe(500);
  });
});

describe('item conversion', () => {
  const clip = { id: 'c', path: '/c.mp4', name: 'c.mp4', kind: 'clip' as const, width: 64, height: 48, frameCount: 10, fps: { num: 30000, den: 1001 }, thumbnailUrl: '/media/thumb/c' };
  it('converts clip rates', () => {
    const item = toDocumentItem(clip);
    expect(item.frameCount).toBe(10);
    expect(item.fps).toBeCloseTo(29.97, 2);
    expect(toDocumentItem({ ...clip, kind: 'image', frameCount: undefined, fps: undefined })).toEqual({ id: 'c', path: '/c.mp4', name: 'c.mp4', kind: 'image', width: 64, height: 48 });
  });
  it('separates new from known items', () => {
    const other = { ...clip, id: 'd' };
    expect(partitionNewItems([clip, other, clip], new Set(['d']))).toEqual({ added: [clip], existing: ['d'] });
  });
});
