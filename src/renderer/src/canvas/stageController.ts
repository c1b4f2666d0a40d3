/**
 * The Konva scene, updated imperatively (never through React renders): layers by update rate —
 * media (the frame JPEG at full picture size), mask (the compositor's offscreen canvas, stretched to picture size,
 * clipped to the right of the divider in split mode), overlay (brush outline, split divider). Zoom and pan are the
 * stage's scale and position, taken from the document's view state.
 */
import Konva from 'konva';
import { framePath } from '../../../shared/contract/mediaPaths';
import type { StudioServices } from '../app/studioServices';
import { updateView, type DocumentItem } from '../document/documentStore';
import { isPaintingTool } from '../tools/brushModes';
import { hasPlaybackStopped, isPlaying } from '../ui/uiStore';
import { createMediaLoader, neighbourFrames } from './mediaLoader';
import { actualSizeView, fitView, steppedZoom, zoomAround, type Point, type ViewTransform } from './zoomMath';

/** Largest side of the frame JPEG the media layer loads. */
const mediaMaxSide = 4096;
/** The engine's cached scrubbing frames (clip proxies) have this long side. */
const proxyMaxSide = 640;
/** How long the playhead must rest before the full-size frame is loaded. */
const fullFrameDelayMs = 250;

/** The scene's handle for the canvas component and the pointer input. */
export interface StageController {
  fit(): void;
  actualSize(): void;
  zoomStep(direction: 1 | -1, anchor?: Point): void;
  /** Zoom or pan by hand (wheel, drag, pinch): resizing the window no longer refits. */
  setView(view: ViewTransform): void;
  /** Shows the brush outline at a picture point, or hides it. */
  showCursor(point: Point | null): void;
  /** The active item, as the scene shows it. */
  activeItem(): DocumentItem | undefined;
  resize(width: number, height: number): void;
  dispose(): void;
}

/** Builds the scene inside `container`. */
export function createStageController(container: HTMLDivElement, services: StudioServices): StageController {
  const { store, compositor, connection, ui } = services;
  const stage = new Konva.Stage({ container, width: Math.max(1, container.clientWidth), height: Math.max(1, container.clientHeight), listening: false });
  const mediaLayer = new Konva.Layer({ listening: false });
  const pictureBackdrop = new Konva.Rect({ x: 0, y: 0, width: 1, height: 1, fill: '#26262a', listening: false });
  const mediaNode = new Konva.Image({ x: 0, y: 0, image: undefined, listening: false });
  mediaLayer.add(pictureBackdrop, mediaNode);
  const maskLayer = new Konva.Layer({ listening: false });
  const maskClip = new Konva.Group({ listening: false });
  const compositeNode = new Konva.Image({ x: 0, y: 0, image: compositor.canvas, listening: false });
  maskClip.add(compositeNode);
  maskLayer.add(maskClip);
  const overlayLayer = new Konva.Layer({ listening: false });
  const cursorOuter = new Konva.Circle({ radius: 10, stroke: 'rgba(0,0,0,0.8)', visible: false, listening: false, strokeScaleEnabled: false, strokeWidth: 3 });
  const cursorInner = new Konva.Circle({ radius: 10, stroke: 'rgba(255,255,255,0.95)', visible: false, listening: false, strokeScaleEnabled: false, strokeWidth: 1 });
  const divider = new Konva.Line({ points: [0, 0, 0, 1], stroke: '#ffffff', strokeWidth: 2, strokeScaleEnabled: false, visible: false, listening: false, shadowColor: 'black', shadowBlur: 4 });
  overlayLayer.add(divider, cursorOuter, cursorInner);
  stage.add(mediaLayer, maskLayer, overlayLayer);

  const media = createMediaLoader();
  let mediaKey = '';
  /** Which frame's picture the media layer shows (null: none yet). A mask is never drawn over another frame's. */
  let shownMedia: { itemId: string; frameIndex: number } | null = null;
  let shownItemId: string | null = null;
  let isFitted = true;
  let cursorPoint: Point | null = null;
  let fullFrameTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the split divider shows now, so the overlay layer is redrawn only when that changes. */
  let shownDivider = '';

  const activeItem = () => {
    const state = store.getState();
    return state.items.find((item) => item.id === state.activeItemId);
  };
  const viewportCentre = (): Point => ({ x: stage.width() / 2, y: stage.height() / 2 });

  function applyView(): void {
    const { zoom, panX, panY } = store.getState().view;
    stage.scale({ x: zoom, y: zoom });
    stage.position({ x: panX, y: panY });
    // Past 200% show picture pixels as squares, as image editors do.
    mediaLayer.imageSmoothingEnabled(zoom < 2);
    stage.batchDraw();
  }

  const frameLabel = (frameIndex: number, item: DocumentItem) => `frame ${frameIndex} of ${item.name}`;

  function updateMask(): void {
    const item = activeItem();
    const { view, frameIndices } = store.getState();
    const preview = compositor.preview;
    const frameIndex = item ? (frameIndices[item.id] ?? 0) : 0;
    const isOtherPictureShown = !!shownMedia && !!preview && (shownMedia.itemId !== preview.itemId || shownMedia.frameIndex !== preview.frameIndex);
    const matches = !!item && !!preview && preview.itemId === item.id && (preview.frameIndex === frameIndex || !!scrubLayerOnScreen(item.id, frameIndex)) && !isOtherPictureShown;
    const width = item?.width ?? 1;
    const height = item?.height ?? 1;
    compositeNode.size({ width, height });
    const isMaskShown = matches && view.viewMode !== 'original';
    compositeNode.visible(isMaskShown);
    // Lets specs and the latency benchmark see whose matte is on screen, beside data-shown-media's picture.
    stage.container().setAttribute('data-shown-mask', isMaskShown ? frameLabel(preview!.frameIndex, item!) : '');
    const isSplit = view.viewMode === 'split';
    const splitX = width * view.splitFraction;
    // Konva clips whenever a clip size is set, so outside split mode the clip is the whole picture.
    maskClip.clip(isSplit ? { x: splitX, y: 0, width: width - splitX, height } : { x: 0, y: 0, width, height });
    maskLayer.batchDraw();
    // The overlay is a stage-size canvas of its own: redrawing it on every played frame (when only the mask changed)
    // cost a clear and a recomposite per frame in Chromium's software raster.
    const dividerState = `${isSplit && !!item}:${splitX}:${height}`;
    if (dividerState === shownDivider) return;
    shownDivider = dividerState;
    divider.visible(isSplit && !!item);
    divider.points([splitX, 0, splitX, height]);
    overlayLayer.batchDraw();
  }

  function updateCursor(): void {
    const { brush } = store.getState().view;
    const { tool } = ui.getState();
    const visible = cursorPoint !== null && isPaintingTool(tool) && !!activeItem();
    for (const circle of [cursorOuter, cursorInner]) {
      circle.visible(visible);
      if (cursorPoint) circle.position(cursorPoint);
      circle.radius(Math.max(0.5, brush.sizePx / 2));
    }
    // The inner ring says what a stroke will do: white adds, red subtracts, cyan marks for Refine Edge, grey erases marks.
    const strokeColor = tool === 'refineEdge'
      ? (brush.refineEdgeMode === 'mark' ? 'rgba(0,200,255,0.95)' : 'rgba(170,170,170,0.95)')
      : (brush.mode === 'add' ? 'rgba(255,255,255,0.95)' : 'rgba(255,120,120,0.95)');
    cursorInner.stroke(strokeColor);
    overlayLayer.batchDraw();
  }

  /** Puts a frame's picture on the media layer; a mask waiting for that picture is shown with it. */
  function setMediaPicture(picture: CanvasImageSource, frameIndex: number, item: DocumentItem): void {
    mediaNode.image(picture);
    mediaLayer.batchDraw();
    shownMedia = { itemId: item.id, frameIndex };
    // Lets specs and the latency benchmark see which picture is on screen (e.g. "frame 12 of clip.mp4").
    stage.container().setAttribute('data-shown-media', frameLabel(frameIndex, item));
    updateMask();
  }

  function clearMediaPicture(): void {
    mediaNode.image(undefined);
    shownMedia = null;
    stage.container().setAttribute('data-shown-media', '');
  }

  /** Shows a frame's picture decoded elsewhere (a scrub layer's) as the media, dropping any frame still loading. */
  function showPicture(picture: ImageBitmap, frameIndex: number, item: DocumentItem): void {
    media.cancel();
    setMediaPicture(picture, frameIndex, item);
  }

  /**
   * The scrub layer the mask layer shows for the clip's frame `frameIndex`, with its decoded picture: the frame's own,
   * or while playing the last played frame's, which the preview controller leaves up over frames whose layers have
   * not loaded yet (a dropped frame; it clears the layer where the frame must show unmatted).
   */
  function scrubLayerOnScreen(itemId: string, frameIndex: number): { picture: ImageBitmap; frameIndex: number } | undefined {
    const preview = compositor.preview;
    if (!preview?.picture || preview.itemId !== itemId || (preview.frameIndex !== frameIndex && !isPlaying(ui))) return undefined;
    return { picture: preview.picture, frameIndex: preview.frameIndex };
  }

  /**
   * While playing, the media layer shows the picture of the scrub layer on screen (a new one, or one held). At rest, a
   * frame's layer that arrives before the frame's own picture brings its picture along: its matte would otherwise sit
   * over the previous frame's picture (stepping or jumping faster than frames load), or wait for the picture.
   */
  function followScrubLayer(): void {
    const item = activeItem();
    if (!item || item.kind !== 'clip') return;
    const frameIndex = store.getState().frameIndices[item.id] ?? 0;
    const layer = scrubLayerOnScreen(item.id, frameIndex);
    if (!layer || mediaNode.image() === layer.picture) return;
    const isPictureMissing = shownMedia?.itemId !== item.id || shownMedia.frameIndex !== frameIndex;
    if (isPlaying(ui) || isPictureMissing) showPicture(layer.picture, layer.frameIndex, item);
  }

  function showFrame(url: string, frameIndex: number, item: DocumentItem, afterShown?: () => void): void {
    media.load(
      url,
      (image) => {
        setMediaPicture(image, frameIndex, item);
        afterShown?.();
      },
      () => console.warn(`[matte-studio] ${frameLabel(frameIndex, item)} could not be loaded`),
    );
  }

  function updateMedia(): void {
    clearTimeout(fullFrameTimer);
    const item = activeItem();
    if (!item) {
      mediaKey = '';
      media.cancel();
      clearMediaPicture();
      pictureBackdrop.size({ width: 0, height: 0 });
      mediaLayer.batchDraw();
      return;
    }
    const frameIndex = store.getState().frameIndices[item.id] ?? 0;
    const key = `${item.id}:${frameIndex}`;
    if (key === mediaKey) return;
    // Another item's picture (stretched to this one's size) must not stay up while this one's loads.
    if (shownMedia && shownMedia.itemId !== item.id) clearMediaPicture();
    mediaKey = key;
    pictureBackdrop.size({ width: item.width, height: item.height });
    mediaNode.size({ width: item.width, height: item.height });
    const longSide = Math.max(item.width, item.height);
    const fullSide = Math.min(mediaMaxSide, longSide);
    // Scrubbing shows the engine's cached proxy frame at once; the sharp frame follows once the playhead rests.
    const firstSide = item.kind !== 'clip' || longSide <= proxyMaxSide ? fullSide : proxyMaxSide;
    const frameUrl = (index: number) => connection.toMediaUrl(framePath(item.id, index, firstSide));
    // Once this frame is up, the next and previous ones are fetched and decoded, so a frame step needs no round trip.
    const prefetchNeighbours = item.kind === 'clip' ? () => media.prefetch(neighbourFrames(frameIndex, item.frameCount ?? 1).map(frameUrl)) : undefined;
    // The preview controller reacts to the same change: once it has run, a scrub layer of this frame (or, while
    // playing, the one it holds) may be up with its picture already decoded, which then needs no fetch, no decode and
    // no neighbours ahead.
    queueMicrotask(() => {
      if (mediaKey !== key) return;
      const layer = item.kind === 'clip' ? scrubLayerOnScreen(item.id, frameIndex) : undefined;
      if (layer) {
        if (mediaNode.image() !== layer.picture) showPicture(layer.picture, layer.frameIndex, item);
      } else showFrame(frameUrl(frameIndex), frameIndex, item, prefetchNeighbours);
    });
    if (firstSide !== fullSide) {
      fullFrameTimer = setTimeout(() => {
        if (mediaKey === key && !isPlaying(ui)) showFrame(connection.toMediaUrl(framePath(item.id, frameIndex, fullSide)), frameIndex, item);
      }, fullFrameDelayMs);
    }
    mediaLayer.batchDraw();
  }

  const controller: StageController = {
    fit() {
      const item = activeItem();
      if (!item) return;
      isFitted = true;
      updateView(store, fitView(item.width, item.height, stage.width(), stage.height(), 24, true));
    },
    actualSize() {
      isFitted = false;
      updateView(store, actualSizeView(store.getState().view, viewportCentre()));
    },
    zoomStep(direction, anchor) {
      isFitted = false;
      const view = store.getState().view;
      updateView(store, zoomAround(view, steppedZoom(view.zoom, direction), anchor ?? viewportCentre()));
    },
    setView(view) {
      isFitted = false;
      updateView(store, view);
    },
    showCursor(point) {
      cursorPoint = point;
      updateCursor();
    },
    activeItem,
    resize(width, height) {
      stage.size({ width: Math.max(1, width), height: Math.max(1, height) });
      if (isFitted) controller.fit();
      stage.batchDraw();
    },
    dispose() {
      clearTimeout(fullFrameTimer);
      media.cancel();
      unsubscribeStore();
      unsubscribeUi();
      unsubscribeCompositor();
      stage.destroy();
    },
  };

  const onItemOrFrame = () => {
    const item = activeItem();
    if (item && item.id !== shownItemId) {
      shownItemId = item.id;
      controller.fit();
    } else if (!item) shownItemId = null;
    updateMedia();
    updateMask();
  };
  const unsubscribeStore = store.subscribe((state, previous) => {
    if (state.view.zoom !== previous.view.zoom || state.view.panX !== previous.view.panX || state.view.panY !== previous.view.panY) {
      applyView();
    }
    if (state.activeItemId !== previous.activeItemId || state.frameIndices !== previous.frameIndices || state.items !== previous.items) onItemOrFrame();
    if (state.view.viewMode !== previous.view.viewMode || state.view.splitFraction !== previous.view.splitFraction) updateMask();
    if (state.view.brush !== previous.view.brush) updateCursor();
  });
  const unsubscribeUi = ui.subscribe((state, previous) => {
    if (state.tool !== previous.tool) updateCursor();
    if (hasPlaybackStopped(state, previous) && activeItem()?.kind === 'clip') {
      // The frame playback stopped on shows its own picture (another frame's may have been held) and, for a clip
      // larger than its proxy frames, the full-size one once it rests (not loaded while playing).
      mediaKey = '';
      updateMedia();
      updateMask();
    }
  });
  const unsubscribeCompositor = compositor.subscribe(() => {
    // The layer's picture first: the mask is then checked against the picture it goes with.
    followScrubLayer();
    updateMask();
  });

  applyView();
  onItemOrFrame();
  return controller;
}
