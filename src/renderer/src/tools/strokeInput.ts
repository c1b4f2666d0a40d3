/**
 * Turns pointer samples into brush dabs on the document: pointer-down opens one undoable stroke on the active
 * frame, moves add dabs spaced at a quarter of the brush size along the path, pointer-up closes it, Escape rolls it
 * back. The tool in hand at pointer-down decides what the stroke paints (the matte, or the Refine Edge marks).
 * Painting goes straight into the history (and from there to the compositor), never through React.
 */
import { createBrushDab, type StrokeTarget } from '../document/brushStroke';
import type { DocumentStore } from '../document/documentStore';
import type { DocumentHistory } from '../document/history';
import type { CanvasTool } from '../ui/uiStore';
import { strokeTargetFor } from './brushModes';
import { dabSpacingPx, spaceDabs, type PathPoint } from './dabSpacing';

/** The stroke input. */
export interface StrokeInput {
  /** True between begin and end/cancel. */
  readonly isActive: boolean;
  /** Opens a stroke at a picture point on the active item's current frame; false when there is nothing to paint. */
  begin(point: PathPoint): boolean;
  /** Continues the stroke through the given samples (coalesced pointer events). */
  extend(points: readonly PathPoint[]): void;
  /** Records the stroke as one undo step. */
  end(): void;
  /** Rolls the stroke back; false when none was open. */
  cancel(): boolean;
}

/** Creates the stroke input for a document; `activeTool` is the tool in hand (the add/subtract brush by default). */
export function createStrokeInput(store: DocumentStore, history: DocumentHistory, activeTool: () => CanvasTool = () => 'brush'): StrokeInput {
  let last: PathPoint | null = null;
  let travelledPx = 0;
  /**
   * Plane and mode are read once per stroke: releasing Alt or switching tools mid-stroke does not switch an open
   * stroke (one gesture, one mode).
   */
  let target: StrokeTarget = { plane: 'matte', mode: 'add' };

  const dab = (point: PathPoint) => {
    const { brush } = store.getState().view;
    history.strokeDab(createBrushDab(brush, point.x, point.y, point.pressure, target));
  };

  return {
    get isActive() {
      return last !== null;
    },
    begin(point) {
      const state = store.getState();
      const item = state.items.find((candidate) => candidate.id === state.activeItemId);
      if (!item) return false;
      target = strokeTargetFor(activeTool(), state.view.brush);
      history.beginStroke(item.id, state.frameIndices[item.id] ?? 0, target.plane);
      last = point;
      travelledPx = 0;
      dab(point);
      return true;
    },
    extend(points) {
      if (!last) return;
      const spacing = dabSpacingPx(store.getState().view.brush.sizePx);
      for (const point of points) {
        const step = spaceDabs(last, point, spacing, travelledPx);
        for (const position of step.dabs) dab(position);
        travelledPx = step.travelledPx;
        last = point;
      }
    },
    end() {
      if (!last) return;
      last = null;
      history.endStroke();
    },
    cancel() {
      if (!last) return false;
      last = null;
      history.cancelStroke();
      return true;
    },
  };
}
