/**
 * The Models panel: every model the studio knows, with size, licence (non-commercial clearly marked) and where it
 * stands; Install, Cancel, Resume and Remove, with a progress bar per download. Downloads go on when the panel
 * closes (the controller keeps them) and a notice says how each ended. Keyboard: the shared dialog frame's focus
 * trap and Esc; each row's one action button keeps focus while its label follows the download.
 */
import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../app/servicesContext';
import { ModalDialog } from '../ui/ModalDialog';
import { ModelRow } from './ModelRow';
import { modelsControllerFor, useModels } from './modelsServices';
import './models.css';

/** The dialog; rendered only while open. */
export function ModelsDialog() {
  const isOpen = useModels((state) => state.isDialogOpen);
  return isOpen ? <ModelsDialogBody /> : null;
}

function ModelsDialogBody() {
  const controller = modelsControllerFor(useServices());
  const state = useModels(
    useShallow((current) => ({
      entries: current.entries,
      userFolder: current.userFolder,
      listError: current.listError,
      installs: current.installs,
      failures: current.failures,
      confirmingRemoval: current.confirmingRemoval,
      removing: current.removing,
    })),
  );
  const { entries } = state;

  return (
    <ModalDialog title="Models" label="Manage models" className="models-dialog" testId="models-dialog" closeTestId="models-close" onClose={() => controller.close()}>
      <div className="models-body">
        <p className="models-intro">
          The studio uses the best installed model unless you pick one. Downloads are checked against their published checksum; a cancelled download resumes where it stopped.
        </p>
        {state.listError && (
          <p className="dialog-error" role="alert" data-testid="models-error">
            {state.listError}{' '}
            <button type="button" className="button" onClick={() => void controller.refresh()}>
              Try again
            </button>
          </p>
        )}
        {entries === null && !state.listError && <p className="muted">Listing the models…</p>}
        {entries !== null && (
          <ul className="model-list" data-testid="model-list" aria-label="Models">
            {entries.map((entry) => (
              <ModelRow
                key={entry.spec.id}
                entry={entry}
                install={state.installs[entry.spec.id]}
                failure={state.failures[entry.spec.id]}
                isConfirmingRemoval={state.confirmingRemoval === entry.spec.id}
                isRemoving={state.removing.includes(entry.spec.id)}
                controller={controller}
              />
            ))}
          </ul>
        )}
      </div>
      <footer className="dialog-footer models-footer">
        {state.userFolder && (
          <span className="models-folder" data-testid="models-folder" title="Downloads go here; a .onnx file you drop here is recognised as your own model">
            Your model folder: {state.userFolder}
          </span>
        )}
        <button type="button" className="button" onClick={() => controller.close()} data-testid="models-done">
          Done
        </button>
      </footer>
    </ModalDialog>
  );
}
