/**
 * One model in the Models panel: name, licence (non-commercial marked), size, where it stands with a progress bar
 * while it downloads, and one action button (Install / Resume / Cancel / Remove). Removal asks first, inline.
 */
import { useEffect, useRef } from 'react';
import type { ModelEntry } from '../../../shared/contract/modelMethods';
import type { ModelsController } from './modelsController';
import { formatBytes, licenceText, rowAction, sizeText, statusText, type InstallProgress } from './modelText';

/** Props of {@link ModelRow}. */
export interface ModelRowProps {
  entry: ModelEntry;
  install: InstallProgress | undefined;
  failure: string | undefined;
  isConfirmingRemoval: boolean;
  isRemoving: boolean;
  controller: ModelsController;
}

/** One row of the panel's list. */
export function ModelRow({ entry, install, failure, isConfirmingRemoval, isRemoving, controller }: ModelRowProps) {
  const { spec } = entry;
  const licence = licenceText(spec);
  const action = rowAction(entry, install, isRemoving);
  const actionRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const canDiscard = entry.state !== 'installed' && entry.partialBytes > 0 && !install && !entry.installJobId;

  // The confirmation's buttons disappear when it closes: give focus back to the row's button, not to the page.
  useEffect(() => {
    if (wasConfirming.current && !isConfirmingRemoval) actionRef.current?.focus();
    wasConfirming.current = isConfirmingRemoval;
  }, [isConfirmingRemoval]);

  const onAction = () => {
    if (action.isDisabled || action.isBusy) return;
    if (action.kind === 'install' || action.kind === 'resume') void controller.install(spec.id);
    else if (action.kind === 'cancel') controller.cancel(spec.id);
    else controller.confirmRemoval(spec.id);
  };

  return (
    <li className={`model-row model-state-${entry.state}`} data-testid="model-row" data-model-id={spec.id} data-state={entry.state} aria-label={spec.name}>
      <div className="model-main">
        <div className="model-title">
          <span className="model-name" title={spec.id}>
            {spec.name}
          </span>
          <span className="model-status" data-testid="model-status" aria-live="polite">
            {statusText(entry, install)}
          </span>
        </div>
        <span className="model-badge-slot">
          {licence.isNonCommercial && (
            <span className="model-badge model-non-commercial" data-testid="model-non-commercial" title={licence.title}>
              Non-commercial
            </span>
          )}
        </span>
        <span className="model-licence" data-testid="model-licence" title={licence.title}>
          {licence.label}
        </span>
        <span className="model-size" data-testid="model-size" title={entry.isSizeExact ? `${entry.sizeBytes.toLocaleString()} bytes` : 'Approximate size'}>
          {sizeText(entry)}
        </span>
        <div className="model-actions">
          {canDiscard && (
            <button type="button" className="button model-discard" onClick={() => controller.confirmRemoval(spec.id)} data-testid="model-discard" title={`Delete the ${formatBytes(entry.partialBytes)} downloaded so far`}>
              Discard
            </button>
          )}
          <button
            ref={actionRef}
            type="button"
            className={`button model-action${action.kind === 'install' || action.kind === 'resume' ? ' primary' : ''}`}
            onClick={onAction}
            disabled={action.isDisabled}
            aria-disabled={action.isBusy || undefined}
            title={action.title}
            data-testid="model-action"
            data-action={action.kind}
          >
            {action.label}
          </button>
        </div>
      </div>
      {install && (
        <progress className="model-progress" max={1} value={install.fraction} data-testid="model-progress" aria-label={`Downloading ${spec.name}`} />
      )}
      {isConfirmingRemoval && (
        <div className="model-confirm" role="group" aria-label={`Confirm removing ${spec.name}`}>
          <span>
            {entry.state === 'installed' ? `Remove ${spec.name} from your model folder? It frees ${sizeText(entry)}.` : `Discard the ${formatBytes(entry.partialBytes)} of ${spec.name} downloaded so far?`}
          </span>
          <button type="button" className="button" onClick={() => controller.confirmRemoval(null)} data-testid="model-keep" autoFocus>
            Keep
          </button>
          <button type="button" className="button danger" onClick={() => void controller.remove(spec.id)} data-testid="model-confirm-remove">
            {entry.state === 'installed' ? 'Remove' : 'Discard'}
          </button>
        </div>
      )}
      {failure && (
        <p className="model-failure" role="alert" data-testid="model-failure">
          {failure}
        </p>
      )}
    </li>
  );
}
