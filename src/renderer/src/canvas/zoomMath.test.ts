import { describe, expect, it } from 'vitest';
import { fitView, pictureToScreen, pinchView, screenToPicture, steppedZoom, wheelDeltaPx, wheelZoomFactor, zoomAround } from './zoomMath';

describe('fitView', () => {
  it('fits a wide picture to the width and centres it', () => {
    const view = fitView(2000, 1000, 1048, 1048, 24);
    expect(view.zoom).toBeCloseTo(0.5);
    expect(view.panX).toBeCloseTo(24);
    expect(view.panY).toBeCloseTo((1048 - 500) / 2);
  });
  it('does not enlarge small pictures unless asked', () => {
    expect(fitView(100, 100, 1000, 1000).zoom).toBe(1);
    expect(fitView(100, 100, 1048, 1048, 24, true).zoom).toBeCloseTo(10);
  });
  it('degrades to identity on empty sizes', () => expect(fitView(0, 10, 100, 100)).toEqual({ zoom: 1, panX: 0, panY: 0 }));
});

describe('zoomAround', () => {
  it('keeps the picture point under the anchor', () => {
    const view = { zoom: 0.5, panX: 10, panY: 20 };
    const anchor = { x: 300, y: 200 };
    const before = screenToPicture(view, anchor);
    const next = zoomAround(view, 2, anchor);
    expect(next.zoom).toBe(2);
    const after = pictureToScreen(next, before);
    expect(after.x).toBeCloseTo(anchor.x);
    expect(after.y).toBeCloseTo(anchor.y);
  });
  it('clamps the zoom', () => expect(zoomAround({ zoom: 1, panX: 0, panY: 0 }, 1000, { x: 0, y: 0 }).zoom).toBe(64));
});

describe('wheel and steps', () => {
  it('zooms in on negative delta and out on positive', () => {
    expect(wheelZoomFactor(-100, false)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100, false)).toBeLessThan(1);
    expect(wheelZoomFactor(-10, true)).toBeGreaterThan(wheelZoomFactor(-10, false));
  });
  it('converts line deltas', () => expect(wheelDeltaPx(3, 1)).toBe(48));
  it('steps through presets', () => {
    expect(steppedZoom(1, 1)).toBe(1.5);
    expect(steppedZoom(1, -1)).toBeCloseTo(2 / 3);
    expect(steppedZoom(0.7, 1)).toBe(1);
  });
});

describe('pinchView', () => {
  it('scales by the distance ratio around the midpoint', () => {
    const view = { zoom: 1, panX: 0, panY: 0 };
    const next = pinchView(view, { midpoint: { x: 100, y: 100 }, distance: 50 }, { midpoint: { x: 100, y: 100 }, distance: 100 });
    expect(next.zoom).toBe(2);
    expect(pictureToScreen(next, { x: 100, y: 100 })).toEqual({ x: 100, y: 100 });
  });
});
