/** An on/off refinement setting as a toggle button; one click is one undo step. `data-testid` is `toggle-<setting>`. */
import type { RefinementSettings } from '../../../shared/settings';
import { useDocument, useServices } from '../app/servicesContext';

type BooleanSetting = { [K in keyof RefinementSettings]: RefinementSettings[K] extends boolean ? K : never }[keyof RefinementSettings];

/** Props of {@link ToggleRow}. */
export interface ToggleRowProps {
  itemId: string;
  setting: BooleanSetting;
  label: string;
  title?: string;
}

/** The toggle. */
export function ToggleRow({ itemId, setting, label, title }: ToggleRowProps) {
  const { history } = useServices();
  const isOn = useDocument((state) => state.settings[itemId]?.[setting] ?? false);
  return (
    <div className="field-row">
      <span className="field-label">{label}</span>
      <button
        type="button"
        className={`button toggle${isOn ? ' is-on' : ''}`}
        aria-pressed={isOn}
        data-testid={`toggle-${setting}`}
        title={title}
        onClick={() => history.changeSettings(itemId, { [setting]: !isOn })}
      >
        {isOn ? 'On' : 'Off'}
      </button>
    </div>
  );
}
