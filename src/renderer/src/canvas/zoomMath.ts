/**
 * View arithmetic for the canvas. The view maps picture pixels to screen pixels as `screen = picture × zoom + pan`.
 */

/** Zoom and pan: screen pixels per picture pixel, and where the picture origin sits on screen. */
export interface ViewTransform {
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

/** A point. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Smallest and largest zoom the canvas allows (the document store clamps to the same range). */
export const minimumZoom = 1 / 64;
export const maximumZoom = 64;

const clampZoom = (zoom: number) => Math.min(maximumZoom, Math.max(minimumZoom, zoom));

/** Picture coordinates of a screen point. */
export function screenToPicture(view: ViewTransform, point: Point): Point {
  return { x: (point.x - view.panX) / view.zoom, y: (point.y - view.panY) / view.zoom };
}

/** Screen coordinates of a picture point. */
export function pictureToScreen(view: ViewTransform, point: Point): Point {
  return { x: point.x * view.zoom + view.panX, y: point.y * view.zoom + view.panY };
}

/**
 * The view that shows the whole picture centred in the viewport with `marginPx` around it. Never enlarges past 100%
 * unless `allowEnlarge`, so small pictures are not blown up into mush.
 */
export function fitView(pictureWidth: number, pictureHeight: number, viewportWidth: number, viewportHeight: number, marginPx = 24, allowEnlarge = false): ViewTransform {
  if (!(pictureWidth > 0 && pictureHeight > 0 && viewportWidth > 0 && viewportHeight > 0)) return { zoom: 1, panX: 0, panY: 0 };
  const availableWidth = Math.max(1, viewportWidth - 2 * marginPx);
  const availableHeight = Math.max(1, viewportHeight - 2 * marginPx);
  let zoom = Math.min(availableWidth / pictureWidth, availableHeight / pictureHeight);
  if (!allowEnlarge) zoom = Math.min(1, zoom);
  zoom = clampZoom(zoom);
  return { zoom, panX: (viewportWidth - pictureWidth * zoom) / 2, panY: (viewportHeight - pictureHeight * zoom) / 2 };
}

/** 100% zoom, keeping the picture point under `anchor` (a screen point, e.g. the viewport centre) in place. */
export function actualSizeView(view: ViewTransform, anchor: Point): ViewTransform {
  return zoomAround(view, 1, anchor);
}

/** Sets the zoom to `zoom`, keeping the picture point under the screen point `anchor` where it is. */
export function zoomAround(view: ViewTransform, zoom: number, anchor: Point): ViewTransform {
  const next = clampZoom(zoom);
  const picture = screenToPicture(view, anchor);
  return { zoom: next, panX: anchor.x - picture.x * next, panY: anchor.y - picture.y * next };
}

/**
 * The most one wheel event may change the zoom: a quarter octave (×1.19 in, ×0.84 out), so four mouse notches double
 * or halve it. Mouse notches arrive as anything from 48 to 300 px depending on the platform and display scaling, and
 * without a cap one notch of Ctrl+wheel jumped from 70% to 515%.
 */
export const maximumWheelZoomStep = 2 ** 0.25;

/**
 * Wheel pixels per factor of e with Ctrl held (and trackpad pinch, which Chromium sends as Ctrl+wheel with
 * `deltaY = 100 · ln(1 / scale)`): the inverse of that mapping, so the picture follows the fingers exactly.
 * https://source.chromium.org/chromium/chromium/src/+/main:components/input/touchpad_pinch_event_queue.cc
 */
const pinchPixelsPerE = 100;
/** Wheel pixels per factor of e without a modifier: gentler, since a trackpad's two-finger scroll lands here too. */
const wheelPixelsPerE = 1 / 0.0015;

/**
 * The zoom factor for one wheel event, proportional to its delta: `exp(−deltaPx / k)`, so many small events (a pinch,
 * a smooth wheel) compose to the same zoom as one event of their summed delta, and clamped to
 * {@link maximumWheelZoomStep} per event, so one notch of any mouse zooms by one step of about 16–19%.
 * @param deltaPx Wheel delta in pixels ({@link wheelDeltaPx} converts line and page modes); negative zooms in.
 * @param isPinch Ctrl was held: Ctrl+wheel, or a trackpad pinch (which arrives as Ctrl+wheel).
 */
export function wheelZoomFactor(deltaPx: number, isPinch: boolean): number {
  if (!Number.isFinite(deltaPx)) return 1;
  const exponent = -deltaPx / (isPinch ? pinchPixelsPerE : wheelPixelsPerE);
  const limit = Math.log(maximumWheelZoomStep);
  return Math.exp(Math.min(limit, Math.max(-limit, exponent)));
}

/**
 * Pixels per wheel line: a 3-line notch (Firefox's line mode) then equals Chromium's 100 px pixel-mode notch, so a
 * notch zooms the same in both.
 */
const wheelLinePx = 100 / 3;
/** Pixels per wheel page (page mode is rare; one page is clamped to one zoom step anyway). */
const wheelPagePx = 800;

/** Wheel delta in pixels whatever the event's delta mode (0 pixels, 1 lines, 2 pages). */
export function wheelDeltaPx(deltaY: number, deltaMode: number): number {
  return deltaMode === 1 ? deltaY * wheelLinePx : deltaMode === 2 ? deltaY * wheelPagePx : deltaY;
}

/** The next preset zoom step above or below `zoom` (for `+` / `-` keys): powers of two and thirds. */
export function steppedZoom(zoom: number, direction: 1 | -1): number {
  const steps = [1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
  if (direction > 0) return steps.find((step) => step > zoom * 1.001) ?? maximumZoom;
  return [...steps].reverse().find((step) => step < zoom / 1.001) ?? minimumZoom;
}

/** Zoom and pan for a two-finger pinch: the picture point under the old midpoint follows the new midpoint. */
export function pinchView(view: ViewTransform, previous: { midpoint: Point; distance: number }, next: { midpoint: Point; distance: number }): ViewTransform {
  if (!(previous.distance > 0)) return view;
  const zoom = clampZoom(view.zoom * (next.distance / previous.distance));
  const picture = screenToPicture(view, previous.midpoint);
  return { zoom, panX: next.midpoint.x - picture.x * zoom, panY: next.midpoint.y - picture.y * zoom };
}
