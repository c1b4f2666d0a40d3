/**
 * The run part of the Batch Export dialog: overall and per-item progress with the ETA, failures with their reasons as
 * they happen, a trial's thumbnails and written paths, and the end summary with the output folder.
 */
import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../app/servicesContext';
import { baseName } from '../jobs/errorSentences';
import { elapsedText, etaText, failureLines, summaryText } from './batchForm';
import type { BatchRow } from './batchController';
import { useBatchState } from './batchServices';
import type { BatchBridge } from './batchBridge';

const statusLabels: Record<BatchRow['status'], string> = { waiting: 'Waiting', running: 'Working', done: 'Done', failed: 'Failed', cancelled: 'Cancelled', skipped: 'Skipped' };

/** Progress, results and summary; nothing before the first run. */
export function BatchRunPanel() {
  const { connection } = useServices();
  const run = useBatchState(useShallow((state) => ({ phase: state.phase, mode: state.mode, rows: state.rows, fraction: state.fraction, etaSec: state.etaSec, ended: state.ended, outcome: state.outcome, error: state.error, isCancelling: state.isCancelling })));
  if (run.phase === 'idle') return null;
  const failures = failureLines(run.ended);
  const bridge = connection.bridge as BatchBridge | undefined;
  const outcome = run.outcome;
  const isTrial = run.mode === 'trial';

  return (
    <section className="batch-run" aria-label="Batch progress" data-testid="batch-run-panel" data-phase={run.phase} data-mode={run.mode ?? ''}>
      <div className="batch-overall" data-testid="batch-progress" data-fraction={run.fraction.toFixed(3)}>
        <progress max={1} value={run.fraction} aria-label={`Batch: ${Math.round(run.fraction * 100)}%`} />
        <span className="batch-percent">{Math.round(run.fraction * 100)}%</span>
        <span className="batch-eta" data-testid="batch-eta">
          {run.phase === 'running' ? (run.isCancelling ? 'Cancelling…' : etaText(run.etaSec)) : ''}
        </span>
      </div>
      <ul className="batch-rows" data-testid="batch-rows">
        {run.rows.map((row, index) => (
          <li key={`${index}:${row.input}`} className={`batch-row batch-status-${row.status}`} data-testid="batch-row" data-name={row.name} data-status={row.status} data-note={row.note ?? ''}>
            <span className="batch-row-name" title={row.input}>
              {row.name}
            </span>
            <span className="batch-row-status" data-testid="batch-row-status" title={row.note ?? statusLabels[row.status]}>
              {row.status === 'running' && row.stage ? row.stage : (row.note ?? statusLabels[row.status])}
            </span>
            {row.status === 'running' && <progress max={1} value={row.fraction} aria-label={`${row.name}: ${Math.round(row.fraction * 100)}%`} />}
          </li>
        ))}
      </ul>
      {failures.length > 0 && (
        <ul className="batch-failures" data-testid="batch-failures" aria-label="Failures">
          {failures.map((failure, index) => (
            <li key={index} data-testid="batch-failure" data-name={failure.name} role="alert">
              <strong>{failure.name}</strong>
              {failure.format ? ` (${failure.format})` : ''}: {failure.message}
            </li>
          ))}
        </ul>
      )}
      {run.error && (
        <p className="dialog-error" role="alert" data-testid="batch-error">
          {run.error}
        </p>
      )}
      {outcome && isTrial && outcome.previews.length > 0 && (
        <div className="batch-trial" data-testid="batch-trial-results">
          <p className="muted">Trial outputs (in a temporary folder; nothing was written to your output folder yet):</p>
          <div className="batch-thumbs">
            {outcome.previews.map((preview) => (
              <figure key={preview.path} className="batch-thumb">
                <img src={connection.toMediaUrl(preview.thumbnailUrl)} alt={baseName(preview.path)} data-testid="batch-trial-thumb" data-format={preview.format} />
                <figcaption title={preview.path}>{baseName(preview.path)}</figcaption>
              </figure>
            ))}
          </div>
        </div>
      )}
      {outcome && (
        <div className="batch-summary-block">
          <p
            className="batch-summary"
            data-testid="batch-summary"
            data-mode={run.mode ?? ''}
            data-written={outcome.written}
            data-skipped={outcome.skipped}
            data-failed={outcome.failed}
            data-cancelled={String(outcome.cancelled)}
            data-elapsed={elapsedText(outcome.elapsedMs)}
          >
            {isTrial ? `Trial: ${summaryText(outcome)}` : summaryText(outcome)}
          </p>
          {!isTrial && (
            <div className="batch-folder">
              <span className="batch-folder-path" data-testid="batch-output-folder" title={outcome.request.outDir}>
                {outcome.request.outDir}
              </span>
              {bridge?.revealInFolder && (
                <button type="button" className="button small" data-testid="batch-reveal" onClick={() => bridge.revealInFolder?.(outcome.items.flatMap((item) => item.outputs)[0]?.path ?? outcome.request.outDir)}>
                  Reveal in folder
                </button>
              )}
            </div>
          )}
          {outcome.written > 0 && (
            <details className="batch-written">
              <summary>Written files</summary>
              <ul>
                {outcome.items.flatMap((item) => item.outputs).map((output) => (
                  <li key={output.path} data-testid="batch-written-path">
                    {output.path}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
