/**
 * A refinement setting's slider, with the undo discipline of DESIGN §5: a drag previews live without history and
 * records one step on release; each new value re-renders the preview (the preview controller aborts the last one),
 * and the engine prepares the draft as soon as the pointer reaches the slider.
 */
import { useRef } from 'react';
import type { RefinementSettings } from '../../../shared/settings';
import { useDocument, useServices } from '../app/servicesContext';
import { RangeField } from './RangeField';

type NumericSetting = { [K in keyof RefinementSettings]: RefinementSettings[K] extends number ? K : never }[keyof RefinementSettings];

/** Props of {@link SettingSlider}. */
export interface SettingSliderProps {
  itemId: string;
  setting: NumericSetting;
  label: string;
  min: number;
  max: number;
  step: number;
  format?: (value: number) => string;
  title?: string;
}

/** The slider; `data-testid` is `slider-<setting>`. */
export function SettingSlider({ itemId, setting, label, min, max, step, format, title }: SettingSliderProps) {
  const { history, previews } = useServices();
  const value = useDocument((state) => state.settings[itemId]?.[setting] ?? min);
  // One open gesture per drag; keyboard steps and programmatic fills open and commit one each.
  const isOpen = useRef(false);
  const open = () => {
    history.beginSettingsChange(itemId);
    isOpen.current = true;
  };
  return (
    <RangeField
      testId={`slider-${setting}`}
      label={label}
      value={value}
      min={min}
      max={max}
      step={step}
      format={format}
      title={title}
      onGestureStart={open}
      // The first tick of a drag would otherwise wait for the engine to prepare the draft-size picture and edge band.
      onPrepare={() => previews.prepareSettingsTweak()}
      onInput={(next) => {
        if (!isOpen.current) open();
        history.previewSettings({ [setting]: next });
      }}
      onCommit={() => {
        if (!isOpen.current) return;
        isOpen.current = false;
        history.commitSettingsChange();
      }}
    />
  );
}
