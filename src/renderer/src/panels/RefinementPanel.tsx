/** Edge refinement and colour (spill) settings of the active item, with live preview. */
import { cartoonModes, type CartoonMode } from '../../../shared/settings';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { usePreview } from '../canvas/usePreview';
import { selectActiveItem } from '../document/documentSelectors';
import { updateUi } from '../ui/uiStore';
import { SettingSlider } from './SettingSlider';
import { ToggleRow } from './ToggleRow';

const px = (value: number) => `${value} px`;
const signedPx = (value: number) => `${value > 0 ? '+' : ''}${value} px`;
const percent = (value: number) => `${Math.round(value * 100)}%`;
const cartoonLabels: Record<CartoonMode, string> = { auto: 'Auto', on: 'On', off: 'Off' };

/** The refinement section. */
export function RefinementPanel() {
  const services = useServices();
  const item = useDocument(selectActiveItem);
  const cartoonMode = useDocument((state) => (item ? state.settings[item.id]?.cartoonMode : undefined));
  const preview = usePreview();
  const isCartoon = preview && preview.itemId === item?.id ? preview.isCartoon : undefined;
  const showSpillBefore = useUi((state) => state.showSpillBefore);
  const showHeatmap = useUi((state) => state.showHeatmap);
  const hasSeveralItems = useDocument((state) => state.items.length > 1);
  if (!item) return <section className="panel-section muted">Open a picture to refine its edges.</section>;
  const id = item.id;

  return (
    <>
      <section className="panel-section" aria-label="Edge">
        <h3>Edge</h3>
        <SettingSlider itemId={id} setting="edgeRadiusPx" label="Radius" min={0} max={64} step={0.5} format={px} title="Width of the band around the edge where alpha is re-solved from the picture (hair, fur); 0 keeps the model's edge" />
        <ToggleRow itemId={id} setting="smartRadius" label="Smart Radius" title="Keep the full radius on soft edges such as hair and narrow it on hard edges" />
        <SettingSlider itemId={id} setting="featherPx" label="Feather" min={0} max={100} step={0.5} format={px} />
        <SettingSlider itemId={id} setting="shiftEdgePx" label="Shift edge" min={-100} max={100} step={0.5} format={signedPx} />
        <SettingSlider itemId={id} setting="contrast" label="Contrast" min={0} max={100} step={1} />
        <SettingSlider itemId={id} setting="smoothPx" label="Smooth" min={0} max={100} step={0.5} format={px} />
        <div className="field-row" role="group" aria-label="Cartoon mode">
          <span
            className="field-label"
            data-testid="cartoon-detected"
            data-detected={isCartoon === undefined ? '' : String(isCartoon)}
            title={`Cartoons and flat artwork get hard edges instead of soft hair.${isCartoon === undefined ? '' : ` This picture ${isCartoon ? 'looks' : 'does not look'} like a cartoon.`}`}
          >
            Cartoon{isCartoon ? ' ●' : ''}
          </span>
          <div className="segmented">
            {cartoonModes.map((mode) => (
              <button
                key={mode}
                type="button"
                aria-pressed={cartoonMode === mode}
                className={cartoonMode === mode ? 'is-on' : ''}
                data-testid={`cartoon-mode-${mode}`}
                onClick={() => services.history.changeSettings(id, { cartoonMode: mode })}
              >
                {cartoonLabels[mode]}
              </button>
            ))}
          </div>
        </div>
      </section>
      <section className="panel-section" aria-label="Colour">
        <h3>Colour</h3>
        <SettingSlider itemId={id} setting="radiusPx" label="Colour radius" min={0} max={400} step={1} format={px} title="How far edge pixels look for the subject's own colour (blur-fusion colour estimation); 0 keeps the picture's colours" />
        <ToggleRow itemId={id} setting="decontaminate" label="Decontaminate Colors" title="Replace colour fringes at the edge with nearby subject colour, removing halos of the old background" />
        <SettingSlider itemId={id} setting="decontaminateAmount" label="Amount" min={0} max={1} step={0.01} format={percent} title="How far edge colours move towards the nearby subject colour" />
        <SettingSlider itemId={id} setting="spillStrength" label="Spill suppression" min={0} max={1} step={0.01} format={percent} title="Removes background colour cast from hair and edges (Lab)" />
        <div className="button-row">
          <button
            type="button"
            className={`button toggle${showSpillBefore ? ' is-on' : ''}`}
            aria-pressed={showSpillBefore}
            data-testid="spill-before-after"
            title="Show the cut-out without spill suppression"
            onClick={() => updateUi(services.ui, { showSpillBefore: !showSpillBefore })}
          >
            {showSpillBefore ? 'Showing before' : 'Before / after'}
          </button>
          <button
            type="button"
            className={`button toggle${showHeatmap ? ' is-on' : ''}`}
            aria-pressed={showHeatmap}
            data-testid="view-mode-heatmap"
            title="Tint where spill was removed"
            onClick={() => updateUi(services.ui, { showHeatmap: !showHeatmap })}
          >
            Spill heat map
          </button>
        </div>
      </section>
      <section className="panel-section button-row">
        <button type="button" className="button" data-testid="settings-reset" onClick={() => services.history.resetSettings(id)}>
          Reset
        </button>
        <button type="button" className="button" data-testid="settings-apply-all" disabled={!hasSeveralItems} onClick={() => services.history.applySettingsToItems(id)} title="Copy these settings to every item">
          Apply to all
        </button>
      </section>
    </>
  );
}
