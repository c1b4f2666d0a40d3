/**
 * The two painting tools and their modes: the add/subtract brush paints the matte, the Refine Edge brush marks (or
 * erases marks) where the engine re-solves alpha from the picture. Each tool keeps its own mode, as in Photoshop, so
 * switching tools never leaves the artist erasing by surprise; X and a held Alt flip the mode of the tool in hand.
 */
import type { BrushSettings } from '../document/documentStore';
import type { StrokeTarget } from '../document/brushStroke';
import type { CanvasTool } from '../ui/uiStore';

/** The brush field that holds a tool's mode: the Refine Edge brush's own, else the matte brush's (the hand too). */
export type BrushModeField = 'mode' | 'refineEdgeMode';

/** Which mode field X and Alt flip while `tool` is in hand. */
export function modeFieldFor(tool: CanvasTool): BrushModeField {
  return tool === 'refineEdge' ? 'refineEdgeMode' : 'mode';
}

/** The brush patch that flips one mode field (add ↔ subtract, mark ↔ erase). */
export function flippedMode(brush: BrushSettings, field: BrushModeField): Partial<BrushSettings> {
  return field === 'refineEdgeMode' ? { refineEdgeMode: brush.refineEdgeMode === 'mark' ? 'erase' : 'mark' } : { mode: brush.mode === 'add' ? 'subtract' : 'add' };
}

/** What a stroke begun with `tool` paints: the Refine Edge marks (mark raises, erase lowers) or the matte. */
export function strokeTargetFor(tool: CanvasTool, brush: BrushSettings): StrokeTarget {
  if (tool === 'refineEdge') return { plane: 'refineEdge', mode: brush.refineEdgeMode === 'mark' ? 'add' : 'subtract' };
  return { plane: 'matte', mode: brush.mode };
}

/** True for the tools that paint (the hand pans). */
export function isPaintingTool(tool: CanvasTool): boolean {
  return tool === 'brush' || tool === 'refineEdge';
}
