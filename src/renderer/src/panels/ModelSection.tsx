/**
 * Which model made the matte (tier · model · execution provider), the model picker, Re-run, and the way into the
 * Models panel. The picker lists what the models controller last heard from the engine, so a model installed or
 * removed in the panel shows up here at once.
 */
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { selectActiveItem } from '../document/documentSelectors';
import { isCancellation } from '../jobs/errorSentences';
import { openModelsDialog, useModels } from '../models/modelsServices';
import { updateUi } from '../ui/uiStore';
import { explainProvenance, formatProvenance } from './provenanceText';


/** The model section. */
export function ModelSection() {
  const services = useServices();
  const item = useDocument(selectActiveItem);
  const provenance = useUi((state) => (item ? state.provenance[item.id] : undefined));
  const modelId = useUi((state) => state.modelId);
  const frameIndex = useDocument((state) => (item ? (state.frameIndices[item.id] ?? 0) : 0));
  const models = useModels((state) => state.pickerModels);
  const reasons = provenance?.fallbackReasons ?? [];

  const rerun = () => {
    if (!item) return;
    services.matting.ensureMatte(item.id, frameIndex, { rerun: true }).then(
      () => services.previews.refresh(),
      (error: unknown) => {
        if (!isCancellation(error)) services.previews.refresh();
      },
    );
  };

  return (
    <section className="panel-section" aria-label="Model">
      <h3>Model</h3>
      <p className={`provenance${reasons.length > 0 ? ' has-fallback' : ''}`} data-testid="provenance" title={provenance ? explainProvenance(provenance) : 'No fallback was needed'}>
        {provenance ? formatProvenance(provenance) : item ? 'Not cut out yet' : '—'}
        {reasons.length > 0 && <span aria-label="fallback"> ⚠</span>}
      </p>
      <div className="field-row">
        <select
          className="select"
          value={modelId ?? ''}
          data-testid="model-picker"
          aria-label="Model"
          onChange={(event) => updateUi(services.ui, { modelId: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">Best installed</option>
          {models.map(({ spec, installed }) => (
            <option key={spec.id} value={spec.id} disabled={!installed}>
              {spec.name}
              {installed ? '' : ' (not installed)'}
              {spec.licence.commercialUse ? '' : ' · non-commercial'}
            </option>
          ))}
        </select>
        <button type="button" className="button" disabled={!item || item.status === 'matting'} onClick={rerun} data-testid="rerun" title="Run the model again on this picture or frame">
          Re-run
        </button>
      </div>
      <button type="button" className="button" onClick={() => openModelsDialog(services)} data-testid="manage-models" title="Install, resume or remove models">
        Manage models…
      </button>
    </section>
  );
}
