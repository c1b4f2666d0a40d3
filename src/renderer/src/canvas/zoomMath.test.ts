import { describe, expect, it } from 'vitest';
import { fitView, maximumWheelZoomStep, maximumZoom, minimumZoom, pictureToScreen, pinchView, screenToPicture, steppedZoom, wheelDeltaPx, wheelZoomFactor, zoomAround, type ViewTransform } from './zoomMath';

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
  it('converts line and page deltas to pixels: a 3-line notch is a 100 px notch', () => {
    expect(wheelDeltaPx(3, 1)).toBeCloseTo(100);
    expect(wheelDeltaPx(-1, 2)).toBe(-800);
    expect(wheelDeltaPx(-53, 0)).toBe(-53);
  });
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

describe('proportional wheel zoom', () => {
  const anchor = { x: 412, y: 233 };
  const wheel = (view: ViewTransform, deltaPx: number, isPinch: boolean) => zoomAround(view, view.zoom * wheelZoomFactor(deltaPx, isPinch), anchor);

  it('zooms one mouse notch (100 px, or 3 lines) by 10–20 % with or without Ctrl', () => {
    for (const isPinch of [true, false]) {
      for (const notch of [100, wheelDeltaPx(3, 1)]) {
        expect(wheelZoomFactor(-notch, isPinch)).toBeGreaterThanOrEqual(1.1);
        expect(wheelZoomFactor(-notch, isPinch)).toBeLessThanOrEqual(1.2);
        expect(1 / wheelZoomFactor(notch, isPinch)).toBeGreaterThanOrEqual(1.1);
        expect(1 / wheelZoomFactor(notch, isPinch)).toBeLessThanOrEqual(1.2);
      }
    }
  });

  it('caps one event, however large its delta: the reported 70 % → 515 % jump is one step now', () => {
    const view = { zoom: 0.7, panX: 0, panY: 0 };
    for (const delta of [-200, -240, -1000, -wheelDeltaPx(1, 2)]) expect(wheel(view, delta, true).zoom).toBeCloseTo(0.7 * maximumWheelZoomStep, 10);
    expect(wheel(view, 5000, true).zoom).toBeCloseTo(0.7 / maximumWheelZoomStep, 10);
    expect(wheelZoomFactor(Number.NaN, true)).toBe(1);
  });

  it('is proportional: small pinch deltas compose to the zoom of one event of their sum', () => {
    const start = { zoom: 1, panX: 0, panY: 0 };
    let stepwise: ViewTransform = start;
    for (let event = 0; event < 8; event++) stepwise = wheel(stepwise, -2, true);
    const once = wheel(start, -16, true);
    expect(stepwise.zoom).toBeCloseTo(once.zoom, 12);
    expect(stepwise.panX).toBeCloseTo(once.panX, 9);
    // Out and back by the same deltas returns to the start.
    let roundTrip: ViewTransform = start;
    for (const delta of [-3, -5.5, -1.25, 1.25, 5.5, 3]) roundTrip = wheel(roundTrip, delta, true);
    expect(roundTrip.zoom).toBeCloseTo(1, 12);
    // A pinch that Chromium reports as scale 1.1 zooms by exactly 1.1.
    expect(wheelZoomFactor(-100 * Math.log(1.1), true)).toBeCloseTo(1.1, 12);
  });

  it('keeps the picture point under the pointer in place, and the zoom within its limits', () => {
    let view: ViewTransform = { zoom: 0.37, panX: -120, panY: 48 };
    const under = screenToPicture(view, anchor);
    for (let notch = 0; notch < 60; notch++) {
      view = wheel(view, -100, notch % 2 === 0);
      expect(view.zoom).toBeLessThanOrEqual(maximumZoom);
      const after = pictureToScreen(view, under);
      expect(after.x).toBeCloseTo(anchor.x, 6);
      expect(after.y).toBeCloseTo(anchor.y, 6);
    }
    expect(view.zoom).toBe(maximumZoom);
    for (let notch = 0; notch < 120; notch++) view = wheel(view, 100, true);
    expect(view.zoom).toBe(minimumZoom);
  });
});
