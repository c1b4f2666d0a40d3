/** View modes as in Photoshop's Select and Mask, with their colour, opacity and background-picture options. */
import { updateView, viewModes, type ViewMode } from '../document/documentStore';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { storeBackgroundPicture } from '../jobs/backgroundPicture';
import { describeError, withFullStop } from '../jobs/errorSentences';
import { pushNotice } from '../jobs/jobStore';
import { replaceBackgroundImage } from '../ui/uiStore';
import { RangeField } from './RangeField';

const modeLabels: Record<ViewMode, { label: string; title: string }> = {
  overlay: { label: 'Overlay', title: 'Tint the background over the picture' },
  black: { label: 'On black', title: 'Cut-out on black' },
  white: { label: 'On white', title: 'Cut-out on white' },
  checker: { label: 'Checker', title: 'Cut-out on a checkerboard' },
  color: { label: 'On colour', title: 'Cut-out on a chosen colour' },
  image: { label: 'On picture', title: 'Cut-out on a background picture you open' },
  matte: { label: 'Matte', title: 'Black and white matte' },
  original: { label: 'Original', title: 'The picture without the cut-out' },
  split: { label: 'Before/after', title: 'Original left, cut-out right; drag the divider' },
};

/** The view section. */
export function ViewPanel() {
  const services = useServices();
  const { store, ui, jobs } = services;
  const view = useDocument((state) => state.view);
  const backgroundName = useUi((state) => state.backgroundImage?.name);

  const chooseBackground = async (file: File | undefined) => {
    if (!file) return;
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      pushNotice(jobs, 'error', `Could not use “${file.name}” as a background: it is not a picture this browser can read.`);
      return;
    }
    // The engine keeps a copy first, so what the view shows is what an MP4 composite is laid over.
    try {
      const enginePath = await storeBackgroundPicture(services.connection.api, file, bitmap);
      replaceBackgroundImage(ui, { name: file.name, bitmap, enginePath });
      updateView(store, { viewMode: 'image' });
    } catch (error) {
      bitmap.close();
      pushNotice(jobs, 'error', `Could not use “${file.name}” as a background: ${withFullStop(describeError(error))}`);
    }
  };

  return (
    <section className="panel-section" aria-label="View">
      <h3>View</h3>
      <div className="view-modes" role="radiogroup" aria-label="View mode">
        {viewModes.map((mode) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={view.viewMode === mode}
            className={`view-mode${view.viewMode === mode ? ' is-on' : ''}`}
            data-testid={`view-mode-${mode}`}
            title={modeLabels[mode].title}
            onClick={() => updateView(store, { viewMode: mode })}
          >
            {modeLabels[mode].label}
          </button>
        ))}
      </div>
      {view.viewMode === 'overlay' && (
        <>
          <div className="field-row">
            <label className="field-label" htmlFor="overlay-color">
              Overlay colour
            </label>
            <input id="overlay-color" type="color" value={view.overlayColor} data-testid="view-overlay-color" onChange={(event) => updateView(store, { overlayColor: event.target.value })} />
          </div>
          <RangeField
            testId="slider-overlayOpacity"
            label="Overlay opacity"
            value={Math.round(view.overlayOpacity * 100)}
            min={0}
            max={100}
            step={1}
            format={(value) => `${value}%`}
            onInput={(value) => updateView(store, { overlayOpacity: value / 100 })}
          />
        </>
      )}
      {view.viewMode === 'color' && (
        <div className="field-row">
          <label className="field-label" htmlFor="background-color">
            Background colour
          </label>
          <input id="background-color" type="color" value={view.backgroundColor} data-testid="view-background-color" onChange={(event) => updateView(store, { backgroundColor: event.target.value })} />
        </div>
      )}
      {view.viewMode === 'image' && (
        <div className="field-row">
          <label className="button file-button">
            {backgroundName ? 'Change picture…' : 'Choose picture…'}
            <input type="file" accept="image/*" data-testid="view-background-image" onChange={(event) => void chooseBackground(event.target.files?.[0])} />
          </label>
          <span className="field-note" title={backgroundName}>
            {backgroundName ?? 'Checkerboard until a picture is chosen'}
          </span>
        </div>
      )}
    </section>
  );
}
