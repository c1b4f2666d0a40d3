/**
 * The in-app open dialog (the web shell's file browser; Electron uses native dialogs): browse folders through
 * `listFolder`, pick files or open the whole folder, or paste a path.
 */
import { useEffect, useRef, useState } from 'react';
import type { StudioContract } from '../../../shared/contract/studioContract';
import type { MethodOutput } from '../../../shared/rpc/defineContract';
import { useServices, useUi } from '../app/servicesContext';
import { describeError, isCancellation } from '../jobs/errorSentences';
import { Icon } from '../ui/Icon';
import { ModalDialog } from '../ui/ModalDialog';
import { updateUi } from '../ui/uiStore';

type FolderListing = MethodOutput<StudioContract, 'listFolder'>;

const kindLabels: Record<FolderListing['entries'][number]['kind'], string> = { folder: 'Folder', image: 'Image', clip: 'Clip', other: 'File' };

/** The dialog; rendered only while visible. */
export function OpenDialog() {
  const services = useServices();
  const isVisible = useUi((state) => state.isOpenDialogVisible);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [typedPath, setTypedPath] = useState('');
  // The listing in flight: a new click cancels it, so a slow huge folder never lands after the one chosen next.
  const pendingListing = useRef<AbortController | null>(null);

  const close = () => {
    pendingListing.current?.abort();
    updateUi(services.ui, { isOpenDialogVisible: false });
  };
  const browse = (path?: string) => {
    setError(null);
    pendingListing.current?.abort();
    const controller = new AbortController();
    pendingListing.current = controller;
    services.connection.api.listFolder(path === undefined ? {} : { path }, { signal: controller.signal }).then(
      (next) => {
        if (controller.signal.aborted) return;
        setListing(next);
        setPicked(new Set());
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isCancellation(failure)) return;
        setError(`Could not list ${path ? `“${path}”` : 'the home folder'}: ${describeError(failure)}`);
      },
    );
  };
  const open = (paths: string[]) => {
    if (paths.length === 0) return;
    close();
    void services.library.openPaths(paths);
  };

  useEffect(() => {
    if (isVisible && !listing) browse();
    // Browse once per opening; later navigation is explicit.
  }, [isVisible]);

  if (!isVisible) return null;
  const togglePick = (path: string) => {
    const next = new Set(picked);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setPicked(next);
  };

  return (
    <ModalDialog title="Open" label="Open pictures and clips" className="open-dialog" testId="open-dialog" onClose={close}>
        <div className="open-location">
          <button type="button" className="button" disabled={!listing?.parent} onClick={() => listing?.parent && browse(listing.parent)} data-testid="open-up">
            <Icon name="up" /> Up
          </button>
          <span className="open-current" title={listing?.path} data-testid="open-current">
            <span dir="ltr">{listing?.path ?? 'Loading…'}</span>
          </span>
        </div>
        {error && <p className="dialog-error" role="alert">{error}</p>}
        <ul className="open-entries" data-testid="open-entries">
          {listing?.entries.map((entry) => (
            <li key={entry.path}>
              {entry.kind === 'folder' ? (
                <button type="button" className="open-entry" onClick={() => browse(entry.path)} data-testid="open-entry" data-entry-name={entry.name}>
                  <span className="entry-kind kind-folder">{kindLabels.folder}</span> {entry.name}
                </button>
              ) : (
                <label className={`open-entry${entry.kind === 'other' ? ' is-disabled' : ''}`} data-testid="open-entry" data-entry-name={entry.name}>
                  <input type="checkbox" disabled={entry.kind === 'other'} checked={picked.has(entry.path)} onChange={() => togglePick(entry.path)} />
                  <span className={`entry-kind kind-${entry.kind}`}>{kindLabels[entry.kind]}</span> {entry.name}
                </label>
              )}
            </li>
          ))}
          {listing && listing.entries.length === 0 && <li className="open-empty">This folder is empty.</li>}
        </ul>
        {listing?.truncated && (
          <p className="open-empty" data-testid="open-truncated">
            Only the first {listing.entries.length.toLocaleString()} entries are shown. Paste a path below to open one further down.
          </p>
        )}
        <form
          className="open-path-form"
          onSubmit={(event) => {
            event.preventDefault();
            open([typedPath.trim()].filter(Boolean));
          }}
        >
          <input
            type="text"
            className="text-input"
            placeholder="Paste a file or folder path"
            value={typedPath}
            onChange={(event) => setTypedPath(event.target.value)}
            data-testid="open-path-input"
            aria-label="Path to open"
            autoFocus
          />
          <button type="submit" className="button primary" disabled={typedPath.trim() === ''} data-testid="open-path-submit">
            Open path
          </button>
        </form>
        <footer className="dialog-footer">
          <button type="button" className="button" disabled={!listing} onClick={() => listing && open([listing.path])} data-testid="open-folder">
            Open this folder
          </button>
          <button type="button" className="button primary" disabled={picked.size === 0} onClick={() => open([...picked])} data-testid="open-selected">
            Open {picked.size > 0 ? `${picked.size} selected` : 'selected'}
          </button>
        </footer>
    </ModalDialog>
  );
}
