/**
 * The Batch Export dialog: items (all / selected / failed), formats, output folder, name template with a live
 * example, overwrite policy, concurrency; "Try the first 3 items" before committing; the run's progress, failures,
 * Cancel, "Retry failed" and summary below (`BatchRunPanel`). Every item gets one settings snapshot, chosen in the
 * dialog (never silently): the refinement settings of the item on the canvas, or the defaults; plus the model chosen
 * in the model menu. Each item's own hand edits are applied by the engine.
 */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { checkNameTemplate, nameTemplateTokens, overwritePolicies, type BatchFormat, type OverwritePolicy } from '../../../shared/batchTypes';
import { defaultOutputFolder } from '../../../shared/defaultOutputFolder';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import type { StudioServices } from '../app/studioServices';
import { defaultRefinementSettings } from '../document/documentStore';
import { ModalDialog } from '../ui/ModalDialog';
import type { BatchBridge } from './batchBridge';
import { buildBatchRequest, checkBatchForm, clipFormatOptions, defaultScope, itemScopes, itemsInScope, scopeLabels, stillFormatOptions, toggleFormat, type BatchForm, type BatchTrial, type FormatOption } from './batchForm';
import { settingsSnapshotFor, skippedKindsNote, type SettingsSource } from './batchSettingsSource';
import { loadBatchPreferences, saveBatchPreferences } from './batchPreferences';
import { BatchRunPanel } from './BatchRunPanel';
import { batchControllerFor, useBatchState } from './batchServices';
import { useNamePreview } from './useNamePreview';
import { compositeBackground } from '../jobs/compositeBackground';
import './batch.css';

/** What the trial runs: the first 3 items, clips only to their 50th frame (2 s at 25 fps): whole clips took minutes. */
export const batchTrial: BatchTrial = { items: 3, clipFrames: 50 };

const scopeTitles = { all: 'Every item in the library', selected: 'The items selected in the library', failed: 'Items that failed to cut out or to export last time' } as const;

const overwriteLabels: Record<OverwritePolicy, string> = { suffix: 'Add a suffix (-2, -3…)', skip: 'Skip existing files', overwrite: 'Overwrite existing files' };

/** The dialog; rendered only while open. */
export function BatchDialog() {
  const isOpen = useBatchState((state) => state.isDialogOpen);
  return isOpen ? <BatchDialogBody /> : null;
}

function initialForm(services: StudioServices): BatchForm {
  const preferences = loadBatchPreferences();
  const { items, selection } = services.store.getState();
  // Beside the folder that holds every item, never inside it (see shared/defaultOutputFolder.ts).
  const fallbackFolder = services.ui.getState().outputDir.trim() || defaultOutputFolder(items.map((item) => item.path));
  return { ...preferences, scope: defaultScope(selection), outDir: preferences.outDir || fallbackFolder };
}

function BatchDialogBody() {
  const services = useServices();
  const controller = batchControllerFor(services);
  const [form, setForm] = useState<BatchForm>(() => initialForm(services));
  const update = (patch: Partial<BatchForm>) => setForm((previous) => ({ ...previous, ...patch }));
  const { items, selection } = useDocument(useShallow((state) => ({ items: state.items, selection: state.selection })));
  const activeItem = useDocument((state) => state.items.find((item) => item.id === state.activeItemId));
  const modelId = useUi((state) => state.modelId);
  const run = useBatchState(useShallow((state) => ({ phase: state.phase, committed: state.committed, isCancelling: state.isCancelling, finishedRuns: state.finishedRuns })));
  const isRunning = run.phase === 'running';
  const failedInputs = useMemo(() => new Set(run.committed?.items.filter((item) => item.failed.length > 0).map((item) => item.input) ?? []), [run.committed]);
  const chosen = itemsInScope(form.scope, items, selection, failedInputs);
  const problems = checkBatchForm(form, chosen);
  const templateProblem = checkNameTemplate(form.nameTemplate);
  const canRetry = !isRunning && (run.committed?.failed ?? 0) > 0;
  const bridge = services.connection.bridge as BatchBridge | undefined;
  const [settingsSource, setSettingsSource] = useState<SettingsSource>(() => (services.store.getState().activeItemId === null ? 'defaults' : 'activeItem'));
  const source: SettingsSource = activeItem ? settingsSource : 'defaults';
  const skippedNote = skippedKindsNote(form.formats, chosen);

  const namePreview = useNamePreview(
    services.connection.api,
    problems.length === 0 ? { inputs: chosen.map((item) => item.path), outDir: form.outDir.trim(), formats: [...form.formats], nameTemplate: form.nameTemplate, overwrite: form.overwrite, ...(modelId ? { modelId } : {}), limit: batchTrial.items } : null,
    run.finishedRuns,
  );

  const start = (mode: 'trial' | 'full') => {
    if (problems.length > 0 || isRunning) return;
    const { settings, view } = services.store.getState();
    const refinement = settingsSnapshotFor(source, activeItem ? settings[activeItem.id] : undefined, defaultRefinementSettings);
    const request = buildBatchRequest(form, chosen, { refinement, ...(modelId ? { modelId } : {}), background: compositeBackground(view, services.ui.getState().backgroundImage).value }, mode === 'trial' ? batchTrial : undefined);
    saveBatchPreferences(form);
    void controller.run(request, mode);
  };
  const chooseFolder = () => {
    void bridge?.chooseFolder?.(form.outDir || undefined).then((folder) => {
      if (folder) update({ outDir: folder });
    });
  };
  const close = () => controller.close();

  return (
    <ModalDialog title="Batch export" className="batch-dialog" testId="batch-dialog" closeTestId="batch-close" onClose={close}>
        <div className="batch-body">
          <fieldset className="batch-form" disabled={isRunning}>
            <div className="batch-field">
              <span className="field-label">Items</span>
              <div className="batch-choices" role="radiogroup" aria-label="Items">
                {itemScopes.map((scope) => (
                  <label key={scope} className="batch-choice">
                    <input type="radio" name="batch-scope" checked={form.scope === scope} onChange={() => update({ scope })} data-testid={`batch-scope-${scope}`} title={scopeTitles[scope]} />
                    {scopeLabels[scope]} ({itemsInScope(scope, items, selection, failedInputs).length})
                  </label>
                ))}
              </div>
            </div>
            <div className="batch-formats">
              <FormatGroup title="Stills" options={stillFormatOptions} formats={form.formats} onToggle={(format) => update({ formats: toggleFormat(form.formats, format) })} />
              <FormatGroup title="Clips" options={clipFormatOptions} formats={form.formats} onToggle={(format) => update({ formats: toggleFormat(form.formats, format) })} />
            </div>
            <div className="batch-field">
              <label className="field-label" htmlFor="batch-out-dir">
                Output folder
              </label>
              <div className="batch-inline">
                <input id="batch-out-dir" type="text" className="text-input" value={form.outDir} placeholder="/path/to/folder" onChange={(event) => update({ outDir: event.target.value })} data-testid="batch-out-dir" spellCheck={false} title="Where every file is written (created when missing)" />
                {bridge?.chooseFolder && (
                  <button type="button" className="button" onClick={chooseFolder} data-testid="batch-choose-folder" title="Choose the output folder">
                    Choose…
                  </button>
                )}
              </div>
            </div>
            <div className="batch-field">
              <label className="field-label" htmlFor="batch-name-template">
                Name template
              </label>
              <input id="batch-name-template" type="text" className="text-input" value={form.nameTemplate} onChange={(event) => update({ nameTemplate: event.target.value })} data-testid="batch-name-template" title="Output file name without extension; tokens are replaced per item" aria-invalid={templateProblem !== undefined} spellCheck={false} />
              <span className="field-note">Tokens: {nameTemplateTokens.map((token) => `{${token}}`).join(' ')} — the extension is added.</span>
              {templateProblem && (
                <span className="batch-problem" role="alert" data-testid="batch-name-problem">
                  {templateProblem}
                </span>
              )}
              <NameExample preview={namePreview.preview} error={templateProblem ? null : namePreview.error} />
            </div>
            <div className="batch-inline">
              <label className="field-label" htmlFor="batch-overwrite">
                If a file exists
              </label>
              <select id="batch-overwrite" className="select" value={form.overwrite} onChange={(event) => update({ overwrite: event.target.value as OverwritePolicy })} data-testid="batch-overwrite" title="What to do when a file of that name is already there">
                {overwritePolicies.map((policy) => (
                  <option key={policy} value={policy}>
                    {overwriteLabels[policy]}
                  </option>
                ))}
              </select>
              <label className="field-label" htmlFor="batch-concurrency">
                At once
              </label>
              <select id="batch-concurrency" className="select batch-narrow" value={form.concurrency} onChange={(event) => update({ concurrency: Number(event.target.value) })} data-testid="batch-concurrency" title="Items processed at the same time (more uses more memory)">
                {[1, 2, 3, 4].map((count) => (
                  <option key={count} value={count}>
                    {count}
                  </option>
                ))}
              </select>
            </div>
            <div className="batch-field">
              <span className="field-label" id="batch-settings-label">
                Settings for every item
              </span>
              <div className="batch-choices" role="radiogroup" aria-labelledby="batch-settings-label" data-testid="batch-settings-source" data-source={source}>
                <label className="batch-choice" title={activeItem ? `The refinement settings of “${activeItem.name}”, the item on the canvas` : 'No item is on the canvas'}>
                  <input type="radio" name="batch-settings" checked={source === 'activeItem'} disabled={!activeItem} onChange={() => setSettingsSource('activeItem')} data-testid="batch-settings-active" />
                  {activeItem ? `Those of “${activeItem.name}”` : 'Those of the item on the canvas'}
                </label>
                <label className="batch-choice" title="The studio's default refinement settings">
                  <input type="radio" name="batch-settings" checked={source === 'defaults'} onChange={() => setSettingsSource('defaults')} data-testid="batch-settings-defaults" />
                  Defaults
                </label>
              </div>
              <span className="field-note batch-settings-note" data-testid="batch-settings-note">
                {modelId ? `Model ${modelId}` : 'The best installed model'}, for every item. Each item’s own hand edits are included.
                {form.formats.includes('mp4') && ` MP4 composites on ${compositeBackground(services.store.getState().view, services.ui.getState().backgroundImage).description}.`}
              </span>
            </div>
            {skippedNote && (
              <p className="field-note batch-skip-note" role="status" data-testid="batch-skip-note">
                {skippedNote}
              </p>
            )}
          </fieldset>
          {problems.length > 0 && (
            <ul className="batch-problems" data-testid="batch-problems">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
          <BatchRunPanel />
        </div>
        <footer className="dialog-footer">
          {canRetry && (
            <button type="button" className="button" onClick={() => void controller.retryFailed()} data-testid="batch-retry" title="Run the items that failed again, with the same settings">
              Retry failed ({run.committed?.failed})
            </button>
          )}
          {isRunning ? (
            <button type="button" className="button" onClick={() => controller.cancel()} disabled={run.isCancelling} data-testid="batch-cancel" title="Stop the batch; files already written are kept">
              {run.isCancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <>
              <button type="button" className="button" disabled={problems.length > 0} onClick={() => start('trial')} data-testid="batch-try" title={`Runs the same settings on the first items (clips: their first ${batchTrial.clipFrames} frames) into a temporary folder`}>
                Try the first {batchTrial.items} items
              </button>
              <button type="button" className="button primary" disabled={problems.length > 0} onClick={() => start('full')} data-testid="batch-run" title="Export every chosen item into the output folder">
                Export {chosen.length} item{chosen.length === 1 ? '' : 's'}
              </button>
            </>
          )}
        </footer>
    </ModalDialog>
  );
}

function FormatGroup({ title, options, formats, onToggle }: { title: string; options: readonly FormatOption[]; formats: readonly BatchFormat[]; onToggle: (format: BatchFormat) => void }) {
  return (
    <fieldset className="batch-format-group">
      <legend className="field-label">{title}</legend>
      {options.map((option) => (
        <label key={option.format} className="batch-choice" title={option.label}>
          <input type="checkbox" checked={formats.includes(option.format)} onChange={() => onToggle(option.format)} data-testid={`batch-format-${option.format}`} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function NameExample({ preview, error }: { preview: ReturnType<typeof useNamePreview>['preview']; error: string | null }) {
  if (error) {
    return (
      <span className="batch-problem" role="alert" data-testid="batch-name-problem">
        {error}
      </span>
    );
  }
  if (!preview) return null;
  return (
    <ul className="batch-example" data-testid="batch-name-example" aria-label="Example names">
      {preview.items.map((item) => (
        <li key={item.input} data-testid="batch-example-item">
          {item.outputs.length > 0 ? item.outputs.map((output) => output.name).join(', ') : `nothing (${item.skipped.map((skip) => skip.reason).join(' ')})`}
        </li>
      ))}
      {preview.inputCount > preview.items.length && <li className="muted">… and {preview.inputCount - preview.items.length} more</li>}
    </ul>
  );
}
