/**
 * The project dialogs: Save As with a path field (the web shell; Electron uses its native dialog), Open Project with
 * a path field, the recent list and (Electron) the native picker, and the recovery prompt shown at startup when a
 * crashed session left unsaved work. The prompt is a card in a corner, not a modal: the studio stays usable.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useServices } from '../app/servicesContext';
import { describeError } from '../jobs/errorSentences';
import { ModalDialog } from '../ui/ModalDialog';
import { useProject } from './ProjectBar';

function PathDialog({ title, testId, label, submitLabel, initialPath, onSubmit, children }: {
  title: string;
  testId: string;
  label: string;
  submitLabel: string;
  initialPath: string;
  onSubmit: (path: string) => Promise<unknown>;
  children?: ReactNode;
}) {
  const { projects } = useServices();
  const isBusy = useProject((state) => state.isBusy);
  const [path, setPath] = useState(initialPath);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    onSubmit(path.trim()).catch((failure: unknown) => setError(describeError(failure)));
  };
  return (
    <ModalDialog title={title} className="project-dialog" testId={testId} onClose={projects.closeDialog}>
        <form className="open-path-form" onSubmit={submit}>
          <input type="text" className="text-input" value={path} onChange={(event) => setPath(event.target.value)} data-testid="project-path-input" aria-label={label} autoFocus />
          <button type="submit" className="button primary" disabled={isBusy || path.trim() === ''} data-testid="project-path-submit">
            {submitLabel}
          </button>
        </form>
        {error && (
          <p className="dialog-error" role="alert" data-testid="project-dialog-error">
            {error}
          </p>
        )}
        {children}
    </ModalDialog>
  );
}

function RecentList() {
  const { projects } = useServices();
  const recent = useProject((state) => state.recent);
  const [error, setError] = useState<string | null>(null);
  if (recent.length === 0) return <p className="project-empty">No recent projects.</p>;
  return (
    <>
      {error && <p className="dialog-error" role="alert">{error}</p>}
      <ul className="project-recent" aria-label="Recent projects" data-testid="recent-projects">
        {recent.map((entry) => (
          <li key={entry.path}>
            <button
              type="button"
              className="open-entry"
              disabled={!entry.exists}
              data-testid="recent-project"
              data-path={entry.path}
              title={entry.exists ? entry.path : `${entry.path} (no longer there)`}
              onClick={() => projects.open(entry.path).catch((failure: unknown) => setError(describeError(failure)))}
            >
              <span className="project-recent-name">{entry.name}</span> <span className="project-recent-path">{entry.path}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function RecoveryPrompt() {
  const { projects } = useServices();
  const sessions = useProject((state) => state.recoverable);
  const reload = useProject((state) => state.reloadRecovery);
  const isBusy = useProject((state) => state.isBusy);
  if (sessions.length === 0 && reload === null) return null;
  const items = (count: number) => `${count} item${count === 1 ? '' : 's'}`;
  return (
    <section className="recovery-prompt" role="dialog" aria-modal="false" aria-label="Recover unsaved work" data-testid="recovery-prompt">
      <h2>Recover unsaved work?</h2>
      {reload && (
        <>
          <p>The page was reloaded or closed before this work was saved:</p>
          <ul>
            <li data-testid="reload-recovery">
              <span className="recovery-name">
                {reload.projectName} — {items(reload.itemCount)}
                {reload.hasMaskEdits ? '' : ' (without hand edits)'}, {new Date(reload.savedAt).toLocaleString()}
              </span>
              <span className="button-row">
                <button type="button" className="button primary small" disabled={isBusy} data-testid="recover-reload" title="Open this work again, unsaved" onClick={() => void projects.recoverReload()}>
                  Recover
                </button>
                <button type="button" className="button small" disabled={isBusy} data-testid="discard-reload" title="Delete this copy" onClick={projects.discardReload}>
                  Discard
                </button>
              </span>
            </li>
          </ul>
        </>
      )}
      {sessions.length > 0 && <p>Matte Studio did not close properly last time. This work was saved automatically:</p>}
      {sessions.length > 0 && (
        <ul>
          {sessions.map((session) => (
            <li key={session.sessionId} data-testid="recoverable-session" data-session-id={session.sessionId}>
              <span className="recovery-name">
                {session.projectName} — {items(session.itemCount)}, {new Date(session.savedAt).toLocaleString()}
              </span>
              <span className="button-row">
                <button type="button" className="button primary small" disabled={isBusy} data-testid="recover-session" title="Open this work again, unsaved" onClick={() => void projects.recover(session.sessionId)}>
                  Recover
                </button>
                <button type="button" className="button small" disabled={isBusy} data-testid="discard-session" title="Delete this recovery copy" onClick={() => void projects.discard(session.sessionId)}>
                  Discard
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button small" onClick={projects.dismissRecovery} title="Decide next time">
        Later
      </button>
    </section>
  );
}

/** All project dialogs; each renders only while needed. */
export function ProjectDialogs() {
  const { projects, connection } = useServices();
  const dialog = useProject((state) => state.dialog);
  return (
    <>
      {dialog === 'saveAs' && (
        <PathDialog title="Save Project As" testId="project-save-dialog" label="Project file path" submitLabel="Save" initialPath={projects.suggestedPath()} onSubmit={projects.saveTo} />
      )}
      {dialog === 'open' && (
        <PathDialog title="Open Project" testId="project-open-dialog" label="Project file path" submitLabel="Open" initialPath="" onSubmit={projects.open}>
          {connection.bridge?.openProjectDialog && (
            <div className="project-browse">
              <button type="button" className="button" onClick={projects.browseNative}>
                Browse…
              </button>
            </div>
          )}
          <h3 className="project-recent-title">Recent projects</h3>
          <RecentList />
        </PathDialog>
      )}
      <RecoveryPrompt />
    </>
  );
}
