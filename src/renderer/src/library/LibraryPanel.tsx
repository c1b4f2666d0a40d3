/** The left panel: open buttons, a status summary, and the virtualised grid. */
import { useShallow } from 'zustand/react/shallow';
import { useDocument, useServices } from '../app/servicesContext';
import { openBatchDialog } from '../batch/batchServices';
import { summarizeClipPass } from '../timeline/clipPassSummary';
import { useMatteCoverages } from '../timeline/MatteCoverageBar';
import { LibraryGrid } from './LibraryGrid';
import './library.css';

/** The library panel. */
export function LibraryPanel() {
  const services = useServices();
  const { library, connection } = services;
  const counts = useDocument(
    useShallow((state) => {
      let done = 0;
      let failed = 0;
      let busy = 0;
      for (const item of state.items) {
        if (item.status === 'done') done++;
        else if (item.status === 'failed') failed++;
        else busy++;
      }
      return { total: state.items.length, done, failed, busy };
    }),
  );
  const coverageByItem = useMatteCoverages();
  // Clips whose first frame is matted but whose background pass stopped short are not counted as done.
  const partial = useDocument(
    (state) => state.items.filter((item) => item.status === 'done' && ['stopped', 'failed'].includes(summarizeClipPass(coverageByItem[item.id])?.phase ?? '')).length,
  );
  const hasNativeDialog = connection.shell === 'electron' && !!connection.bridge?.openDialog;

  return (
    <aside className="panel library-panel" aria-label="Library">
      <header className="panel-header">
        <h2>Library</h2>
        <div className="panel-actions">
          <button type="button" className="button primary" onClick={() => library.showOpenDialog()} data-testid="library-open" title="Open pictures, clips or folders (Ctrl+O)">
            Open…
          </button>
          {hasNativeDialog && (
            <button type="button" className="button" onClick={() => library.showBrowser()} data-testid="library-open-path" title="Type or browse to a path">
              Path…
            </button>
          )}
          <button type="button" className="button" onClick={() => openBatchDialog(services)} disabled={counts.total === 0} data-testid="batch-open" title="Export many items in several formats at once">
            Batch export…
          </button>
        </div>
      </header>
      <p className="library-summary" data-testid="library-summary">
        {counts.total === 0
          ? 'Nothing open yet.'
          : `${counts.total} item${counts.total === 1 ? '' : 's'} · ${counts.done - partial} done${partial ? ` · ${partial} partly matted` : ''}${counts.busy ? ` · ${counts.busy} waiting` : ''}${counts.failed ? ` · ${counts.failed} failed` : ''}`}
      </p>
      <LibraryGrid />
    </aside>
  );
}
