/** The tool bar's project part: the project's name (• while unsaved, also in the window title) and its commands. */
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { runCommand } from '../app/commands';
import { useServices } from '../app/servicesContext';
import { isMacPlatform, shortcutLabel } from '../tools/shortcuts';
import type { ProjectState } from './projectActions';
import './projects.css';

/** Reads the project state through a selector. */
export function useProject<T>(selector: (state: ProjectState) => T): T {
  return useStore(useServices().projects.state, selector);
}

/** The window title for a project: `• name — Matte Studio` while unsaved. */
export function windowTitle(name: string, isDirty: boolean): string {
  return `${isDirty ? '• ' : ''}${name} — Matte Studio`;
}

/** Title and Open Project / Save / Save As buttons. */
export function ProjectBar() {
  const services = useServices();
  const name = useProject((state) => state.name);
  const path = useProject((state) => state.path);
  const isDirty = useProject((state) => state.isDirty);
  const isBusy = useProject((state) => state.isBusy);
  const isMac = useMemo(() => isMacPlatform(navigator.platform || navigator.userAgent), []);

  useEffect(() => {
    document.title = windowTitle(name, isDirty);
  }, [name, isDirty]);

  return (
    <div className="tool-group project-bar" role="group" aria-label="Project">
      <span className="app-title">Matte Studio</span>
      <span className="project-title" data-testid="project-title" data-dirty={isDirty} title={path ?? 'Not saved yet'}>
        {name}
        {isDirty && (
          <span className="project-dirty" aria-label="unsaved changes">
            {' •'}
          </span>
        )}
      </span>
      <button type="button" className="button small" data-testid="project-open" onClick={() => runCommand(services, 'openProject')} title="Open a project">
        Open Project…
      </button>
      <button type="button" className="button small" data-testid="project-save" disabled={isBusy} onClick={() => runCommand(services, 'save')} title={`Save the project (${shortcutLabel('save', isMac)})`}>
        Save
      </button>
      <button type="button" className="button small" data-testid="project-save-as" disabled={isBusy} onClick={() => runCommand(services, 'saveAs')} title={`Save under a new name (${shortcutLabel('saveAs', isMac)})`}>
        Save As…
      </button>
    </div>
  );
}
