/** What each studio command does; shortcuts, toolbar buttons and the native menu all come through here. */
import { setFrameIndex, updateBrush, updateView, viewModes } from '../document/documentStore';
import { nextShuttleSpeed, togglePlaySpeed } from '../timeline/shuttle';
import { flippedMode, modeFieldFor } from '../tools/brushModes';
import { cycledViewMode, steppedBrushSize, type StudioCommand } from '../tools/shortcuts';
import { isPlaying, updateUi } from '../ui/uiStore';
import type { StudioServices } from './studioServices';

/** Moves the active clip to `frameIndex` (clamped) and stops playback. */
export function goToFrame(services: StudioServices, frameIndex: number): void {
  const { store, ui } = services;
  const itemId = store.getState().activeItemId;
  if (itemId === null) return;
  if (isPlaying(ui)) updateUi(ui, { shuttleSpeed: 0 });
  setFrameIndex(store, itemId, frameIndex);
}

function stepFrame(services: StudioServices, delta: number): void {
  const state = services.store.getState();
  if (state.activeItemId === null) return;
  goToFrame(services, (state.frameIndices[state.activeItemId] ?? 0) + delta);
}

function activeClipLength(services: StudioServices): number {
  const state = services.store.getState();
  const item = state.items.find((candidate) => candidate.id === state.activeItemId);
  return item?.kind === 'clip' ? (item.frameCount ?? 1) : 0;
}

function setShuttle(services: StudioServices, speed: number): void {
  if (activeClipLength(services) > 1 || speed === 0) updateUi(services.ui, { shuttleSpeed: speed });
}

/** Runs a command; returns false when it did nothing (so a key press can fall through). */
export function runCommand(services: StudioServices, command: StudioCommand): boolean {
  const { store, history, ui } = services;
  const brush = store.getState().view.brush;
  const speed = ui.getState().shuttleSpeed;
  switch (command) {
    case 'undo':
      // Undo during a stroke only rolls the stroke back, as the history does for any open gesture.
      if (services.strokes.cancel()) return true;
      return history.undo();
    case 'redo':
      services.strokes.cancel();
      return history.redo();
    case 'open':
      services.library.showOpenDialog();
      return true;
    case 'save':
      void services.projects.save();
      return true;
    case 'saveAs':
      services.projects.saveAs();
      return true;
    case 'openProject':
      services.projects.showOpen();
      return true;
    case 'brushSmaller':
    case 'brushLarger':
      updateBrush(store, { sizePx: steppedBrushSize(brush.sizePx, command === 'brushLarger' ? 1 : -1) });
      return true;
    case 'swapBrushMode':
      // The mode of the brush in hand: add ↔ subtract, or with the Refine Edge brush mark ↔ erase.
      updateBrush(store, flippedMode(brush, modeFieldFor(ui.getState().tool)));
      return true;
    case 'selectBrush':
    case 'selectRefineEdge':
    case 'selectHand':
      updateUi(ui, { tool: command === 'selectBrush' ? 'brush' : command === 'selectRefineEdge' ? 'refineEdge' : 'hand' });
      return true;
    case 'frameBack':
    case 'frameForward':
      if (activeClipLength(services) === 0) return false;
      stepFrame(services, command === 'frameForward' ? 1 : -1);
      return true;
    case 'firstFrame':
    case 'lastFrame':
      if (activeClipLength(services) === 0) return false;
      goToFrame(services, command === 'firstFrame' ? 0 : activeClipLength(services) - 1);
      return true;
    case 'shuttleBack':
      setShuttle(services, nextShuttleSpeed(speed, 'j'));
      return true;
    case 'shuttleStop':
      setShuttle(services, 0);
      return true;
    case 'shuttleForward':
      setShuttle(services, nextShuttleSpeed(speed, 'l'));
      return true;
    case 'togglePlay':
      setShuttle(services, togglePlaySpeed(speed));
      return activeClipLength(services) > 1;
    case 'zoomFit':
      services.viewport?.fit();
      return true;
    case 'zoomActual':
      services.viewport?.actualSize();
      return true;
    case 'zoomIn':
    case 'zoomOut':
      services.viewport?.zoomStep(command === 'zoomIn' ? 1 : -1);
      return true;
    case 'nextViewMode':
    case 'previousViewMode': {
      // The picture mode needs a picture: the cycle skips it until one is chosen.
      const modes = viewModes.filter((mode) => mode !== 'image' || ui.getState().backgroundImage !== null);
      updateView(store, { viewMode: cycledViewMode(modes, store.getState().view.viewMode, command === 'nextViewMode' ? 1 : -1) });
      return true;
    }
    case 'showShortcuts':
      updateUi(ui, { isShortcutSheetVisible: !ui.getState().isShortcutSheetVisible });
      return true;
    case 'invertBrushWhileHeld':
      // A held key: useKeyboardShortcuts inverts the brush while Alt is down; as a press it does nothing.
      return false;
    case 'cancel':
      if (services.strokes.cancel()) return true;
      if (ui.getState().isShortcutSheetVisible) {
        updateUi(ui, { isShortcutSheetVisible: false });
        return true;
      }
      if (ui.getState().isOpenDialogVisible) {
        updateUi(ui, { isOpenDialogVisible: false });
        return true;
      }
      if (speed !== 0) {
        updateUi(ui, { shuttleSpeed: 0 });
        return true;
      }
      return false;
  }
}
