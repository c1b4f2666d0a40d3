/** The top bar: tools, brush options, zoom and undo/redo (with menu-ready labels as tooltips). */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runCommand } from '../app/commands';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { maxBrushSizePx, updateBrush } from '../document/documentStore';
import { RangeField } from '../panels/RangeField';
import { ProjectBar } from '../projects/ProjectBar';
import { Icon } from '../ui/Icon';
import { updateUi } from '../ui/uiStore';
import { isMacPlatform, shortcutLabel, type StudioCommand } from './shortcuts';

/** The tool bar. */
export function ToolBar() {
  const services = useServices();
  const { store, ui } = services;
  const brush = useDocument((state) => state.view.brush);
  const zoom = useDocument((state) => state.view.zoom);
  const history = useDocument(useShallow((state) => state.history));
  const tool = useUi((state) => state.tool);
  const hasItem = useDocument((state) => state.activeItemId !== null);
  const isMac = useMemo(() => isMacPlatform(navigator.platform || navigator.userAgent), []);
  const hint = (command: StudioCommand) => {
    const label = shortcutLabel(command, isMac);
    return label ? ` (${label})` : '';
  };
  const run = (command: StudioCommand) => runCommand(services, command);
  // One mode button for the brush in hand: the Refine Edge brush has its own mode (mark / erase).
  const modeButton = tool === 'refineEdge'
    ? { mode: brush.refineEdgeMode, isRaising: brush.refineEdgeMode === 'mark', label: brush.refineEdgeMode === 'mark' ? 'Mark' : 'Erase', title: 'Mark hair and fur for edge refinement, or erase marks' }
    : { mode: brush.mode, isRaising: brush.mode === 'add', label: brush.mode === 'add' ? 'Add' : 'Subtract', title: 'Paint the subject in (add) or out (subtract)' };

  return (
    <header className="tool-bar" role="toolbar" aria-label="Tools">
      <ProjectBar />
      {/* Undo and redo come first after the project: in a narrow window the bar scrolls, and they must stay in view. */}
      <div className="tool-group" role="group" aria-label="History">
        <button type="button" className="icon-button" data-testid="undo" disabled={!history.canUndo} title={`${history.undoLabel ?? 'Nothing to undo'}${hint('undo')}`} aria-label={history.undoLabel ?? 'Undo'} onClick={() => run('undo')}>
          <Icon name="undo" />
        </button>
        <button type="button" className="icon-button" data-testid="redo" disabled={!history.canRedo} title={`${history.redoLabel ?? 'Nothing to redo'}${hint('redo')}`} aria-label={history.redoLabel ?? 'Redo'} onClick={() => run('redo')}>
          <Icon name="redo" />
        </button>
      </div>
      <div className="tool-group" role="group" aria-label="Tool">
        <button type="button" className={`icon-button${tool === 'brush' ? ' is-on' : ''}`} aria-pressed={tool === 'brush'} data-testid="tool-brush" title={`Brush${hint('selectBrush')}`} onClick={() => updateUi(ui, { tool: 'brush' })}>
          <Icon name="brush" />
        </button>
        <button
          type="button"
          className={`icon-button${tool === 'refineEdge' ? ' is-on' : ''}`}
          aria-pressed={tool === 'refineEdge'}
          aria-label="Refine Edge brush"
          data-testid="tool-refine-edge"
          title={`Refine Edge brush: paint over hair and fur to re-solve alpha from the picture there${hint('selectRefineEdge')} — hold ${isMac ? 'Option' : 'Alt'} to erase marks`}
          onClick={() => updateUi(ui, { tool: 'refineEdge' })}
        >
          <Icon name="refineEdge" />
        </button>
        <button type="button" className={`icon-button${tool === 'hand' ? ' is-on' : ''}`} aria-pressed={tool === 'hand'} data-testid="tool-hand" title={`Hand: drag to pan${hint('selectHand')} — or hold Space`} onClick={() => updateUi(ui, { tool: 'hand' })}>
          <Icon name="hand" />
        </button>
      </div>
      <div className="tool-group brush-options" role="group" aria-label="Brush">
        <button
          type="button"
          className={`button brush-mode mode-${modeButton.isRaising ? 'add' : 'subtract'}`}
          data-testid="brush-mode"
          data-mode={modeButton.mode}
          title={`${modeButton.title}${hint('swapBrushMode')} — hold ${isMac ? 'Option' : 'Alt'} to paint with the other mode`}
          onClick={() => run('swapBrushMode')}
        >
          <Icon name={modeButton.isRaising ? 'plus' : 'minus'} />
          {modeButton.label}
        </button>
        <RangeField testId="slider-brushSize" label="Size" value={brush.sizePx} min={1} max={maxBrushSizePx} step={1} format={(value) => `${value} px`} title={`Brush diameter in picture pixels${hint('brushSmaller')}${hint('brushLarger')}`} onInput={(value) => updateBrush(store, { sizePx: value })} />
        <RangeField testId="slider-brushHardness" label="Hardness" value={Math.round(brush.hardness * 100)} min={0} max={100} step={1} format={(value) => `${value}%`} title="Share of the brush that paints at full strength; lower is a softer edge" onInput={(value) => updateBrush(store, { hardness: value / 100 })} />
        <RangeField testId="slider-brushOpacity" label="Opacity" value={Math.round(brush.opacity * 100)} min={1} max={100} step={1} format={(value) => `${value}%`} title="Strength of each dab; strokes build up where they overlap" onInput={(value) => updateBrush(store, { opacity: value / 100 })} />
      </div>
      <div className="tool-spacer" />
      <div className="tool-group" role="group" aria-label="Zoom">
        <button type="button" className="icon-button" data-testid="zoom-out" disabled={!hasItem} title={`Zoom out${hint('zoomOut')}`} onClick={() => run('zoomOut')}>
          <Icon name="minus" />
        </button>
        <span className="zoom-level" data-testid="zoom-level">
          {Math.round(zoom * 100)}%
        </span>
        <button type="button" className="icon-button" data-testid="zoom-in" disabled={!hasItem} title={`Zoom in${hint('zoomIn')}`} onClick={() => run('zoomIn')}>
          <Icon name="plus" />
        </button>
        <button type="button" className="button" data-testid="zoom-fit" disabled={!hasItem} title={`Fit on screen${hint('zoomFit')}`} onClick={() => run('zoomFit')}>
          Fit
        </button>
        <button type="button" className="button" data-testid="zoom-100" disabled={!hasItem} title={`Actual pixels${hint('zoomActual')}`} onClick={() => run('zoomActual')}>
          100%
        </button>
      </div>
      <button type="button" className="button" data-testid="show-shortcuts" title={`Keyboard shortcuts${hint('showShortcuts')}`} aria-label="Keyboard shortcuts" onClick={() => run('showShortcuts')}>
        ?
      </button>
    </header>
  );
}
