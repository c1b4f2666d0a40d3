/**
 * Pointer input on the canvas: brush strokes at pointer rate (coalesced events, pen pressure), pan with Space-drag,
 * the middle button or the hand tool, zoom with the wheel at the cursor and with trackpad or touch pinches, and
 * dragging the before/after divider. Everything goes to the stores and the stroke input directly.
 */
import type { StudioServices } from '../app/studioServices';
import type { StageController } from '../canvas/stageController';
import { pinchView, screenToPicture, wheelDeltaPx, wheelZoomFactor, zoomAround, type Point } from '../canvas/zoomMath';
import { updateView } from '../document/documentStore';
import type { PathPoint } from './dabSpacing';
import { heldKeys } from './keyState';

type DragMode = 'none' | 'paint' | 'pan' | 'divider' | 'pinch';

/** How close (screen pixels) a press must be to the divider to grab it. */
const dividerGrabPx = 8;

/** Attaches the handlers; returns the detach function. */
export function attachCanvasPointer(container: HTMLElement, services: StudioServices, scene: StageController): () => void {
  const { store, strokes, ui } = services;
  let mode: DragMode = 'none';
  let lastScreen: Point = { x: 0, y: 0 };
  const touches = new Map<number, Point>();
  let pinch: { midpoint: Point; distance: number } | null = null;

  const local = (event: { clientX: number; clientY: number }): Point => {
    const rect = container.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const picture = (screen: Point) => screenToPicture(store.getState().view, screen);
  const pathPoint = (event: PointerEvent): PathPoint => {
    const point = picture(local(event));
    // Mice report 0.5 while pressed; only pens carry real pressure.
    const pressure = event.pointerType === 'pen' ? Math.max(0.01, Math.min(1, event.pressure || 0)) : 1;
    return { x: point.x, y: point.y, pressure };
  };
  const pinchState = () => {
    const [first, second] = [...touches.values()];
    if (!first || !second) return null;
    return { midpoint: { x: (first.x + second.x) / 2, y: (first.y + second.y) / 2 }, distance: Math.hypot(first.x - second.x, first.y - second.y) };
  };
  const isNearDivider = (screen: Point) => {
    const item = scene.activeItem();
    const { view } = store.getState();
    if (!item || view.viewMode !== 'split') return false;
    return Math.abs(screen.x - (item.width * view.splitFraction * view.zoom + view.panX)) <= dividerGrabPx;
  };
  const setCursorStyle = () => {
    const panning = mode === 'pan' || heldKeys.isSpaceDown || ui.getState().tool === 'hand';
    container.style.cursor = mode === 'divider' ? 'ew-resize' : panning ? (mode === 'pan' ? 'grabbing' : 'grab') : scene.activeItem() ? 'none' : 'default';
  };

  const onPointerDown = (event: PointerEvent) => {
    const screen = local(event);
    lastScreen = screen;
    if (event.pointerType === 'touch') {
      touches.set(event.pointerId, screen);
      if (touches.size === 2) {
        if (mode === 'paint') strokes.end();
        mode = 'pinch';
        pinch = pinchState();
        return;
      }
    }
    if (mode !== 'none') return;
    const wantsPan = event.button === 1 || (event.button === 0 && (heldKeys.isSpaceDown || ui.getState().tool === 'hand'));
    if (wantsPan) {
      mode = 'pan';
      if (heldKeys.isSpaceDown) heldKeys.didPanWithSpace = true;
    } else if (event.button === 0 && isNearDivider(screen)) {
      mode = 'divider';
    } else if (event.button === 0 && strokes.begin(pathPoint(event))) {
      mode = 'paint';
    } else {
      return;
    }
    event.preventDefault();
    container.setPointerCapture(event.pointerId);
    setCursorStyle();
  };

  const onPointerMove = (event: PointerEvent) => {
    const screen = local(event);
    if (event.pointerType === 'touch' && touches.has(event.pointerId)) touches.set(event.pointerId, screen);
    scene.showCursor(mode === 'pan' || mode === 'pinch' ? null : picture(screen));
    if (mode === 'paint') {
      const samples = event.getCoalescedEvents?.() ?? [];
      strokes.extend((samples.length > 0 ? samples : [event]).map(pathPoint));
    } else if (mode === 'pan') {
      const view = store.getState().view;
      scene.setView({ zoom: view.zoom, panX: view.panX + screen.x - lastScreen.x, panY: view.panY + screen.y - lastScreen.y });
    } else if (mode === 'divider') {
      const item = scene.activeItem();
      if (item) updateView(store, { splitFraction: picture(screen).x / item.width });
    } else if (mode === 'pinch') {
      const next = pinchState();
      if (pinch && next) scene.setView(pinchView(store.getState().view, pinch, next));
      pinch = next;
    } else {
      setCursorStyle();
    }
    lastScreen = screen;
  };

  const onPointerEnd = (event: PointerEvent) => {
    touches.delete(event.pointerId);
    if (mode === 'pinch') {
      if (touches.size === 0) mode = 'none';
      pinch = null;
      return;
    }
    if (mode === 'paint') strokes.end();
    if (mode !== 'none' && container.hasPointerCapture(event.pointerId)) container.releasePointerCapture(event.pointerId);
    mode = 'none';
    setCursorStyle();
  };

  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const isPinch = event.ctrlKey;
    const factor = wheelZoomFactor(wheelDeltaPx(event.deltaY, event.deltaMode), isPinch);
    const view = store.getState().view;
    scene.setView(zoomAround(view, view.zoom * factor, local(event)));
  };

  const onLeave = () => scene.showCursor(null);
  const onContextMenu = (event: Event) => event.preventDefault();
  const onKeyChange = () => setCursorStyle();

  container.addEventListener('pointerdown', onPointerDown);
  container.addEventListener('pointermove', onPointerMove);
  container.addEventListener('pointerup', onPointerEnd);
  container.addEventListener('pointercancel', onPointerEnd);
  container.addEventListener('pointerleave', onLeave);
  container.addEventListener('wheel', onWheel, { passive: false });
  container.addEventListener('contextmenu', onContextMenu);
  window.addEventListener('keydown', onKeyChange);
  window.addEventListener('keyup', onKeyChange);
  const unsubscribeUi = ui.subscribe(onKeyChange);
  const unsubscribeStore = store.subscribe((state, previous) => {
    if (state.activeItemId !== previous.activeItemId) setCursorStyle();
  });
  setCursorStyle();
  return () => {
    if (mode === 'paint') strokes.end();
    container.removeEventListener('pointerdown', onPointerDown);
    container.removeEventListener('pointermove', onPointerMove);
    container.removeEventListener('pointerup', onPointerEnd);
    container.removeEventListener('pointercancel', onPointerEnd);
    container.removeEventListener('pointerleave', onLeave);
    container.removeEventListener('wheel', onWheel);
    container.removeEventListener('contextmenu', onContextMenu);
    window.removeEventListener('keydown', onKeyChange);
    window.removeEventListener('keyup', onKeyChange);
    unsubscribeUi();
    unsubscribeStore();
  };
}
