import { describe, expect, it } from 'vitest';
import { fullRectToPreviewRect, fullToPreviewPoint, previewTileKeys, previewTileRect, sampleIndexMap } from './tileMapping';

const full = { width: 4000, height: 3000 };
const preview = { width: 1600, height: 1200 };

describe('sampleIndexMap', () => {
  it('samples the full pixel under each preview centre', () => {
    expect([...sampleIndexMap(4, 10)]).toEqual([1, 3, 6, 8]);
    expect([...sampleIndexMap(3, 3)]).toEqual([0, 1, 2]);
  });
});

describe('fullRectToPreviewRect', () => {
  it('scales and grows by a pixel', () => {
    expect(fullRectToPreviewRect({ x0: 100, y0: 100, x1: 200, y1: 150 }, full, preview)).toEqual({ x0: 39, y0: 39, x1: 81, y1: 61 });
  });
  it('covers every preview pixel whose sample lies in the rectangle', () => {
    const columns = sampleIndexMap(preview.width, full.width);
    const rect = { x0: 1234, y0: 0, x1: 1301, y1: 1 };
    const mapped = fullRectToPreviewRect(rect, full, preview);
    columns.forEach((sample, column) => {
      if (sample >= rect.x0 && sample < rect.x1) expect(column >= mapped.x0 && column < mapped.x1).toBe(true);
    });
  });
  it('clamps and empties', () => {
    expect(fullRectToPreviewRect({ x0: 3990, y0: 2990, x1: 4100, y1: 3100 }, full, preview)).toEqual({ x0: 1595, y0: 1195, x1: 1600, y1: 1200 });
    expect(fullRectToPreviewRect({ x0: 5, y0: 5, x1: 5, y1: 9 }, full, preview).x1).toBe(0);
  });
  it('maps points', () => expect(fullToPreviewPoint(3999, 0, full, preview)).toEqual({ x: 1599, y: 0 }));
});

describe('preview tiles', () => {
  it('lists the tiles a rectangle overlaps', () => {
    const size = { width: 200, height: 130 };
    expect(previewTileKeys({ x0: 60, y0: 0, x1: 70, y1: 10 }, size)).toEqual([0, 1]);
    expect(previewTileKeys({ x0: 0, y0: 120, x1: 1, y1: 130 }, size)).toEqual([4, 8]);
    expect(previewTileRect(8, size)).toEqual({ x0: 0, y0: 128, x1: 64, y1: 130 });
    expect(previewTileRect(3, size)).toEqual({ x0: 192, y0: 0, x1: 200, y1: 64 });
  });
});
