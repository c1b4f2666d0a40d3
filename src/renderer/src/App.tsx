/** The studio's layout: tool bar, library, canvas, settings panels, timeline, jobs. Composition only. */
import { useServices } from './app/servicesContext';
import { BatchDialog } from './batch/BatchDialog';
import { CanvasView } from './canvas/CanvasView';
import { JobsBar } from './jobs/JobsBar';
import { LibraryPanel } from './library/LibraryPanel';
import { ModelsDialog } from './models/ModelsDialog';
import { OpenDialog } from './library/OpenDialog';
import { useFileDrop } from './library/useFileDrop';
import { ExportPanel } from './panels/ExportPanel';
import { ModelSection } from './panels/ModelSection';
import { RefinementPanel } from './panels/RefinementPanel';
import { StatusLine } from './panels/StatusLine';
import { ViewPanel } from './panels/ViewPanel';
import { ProjectDialogs } from './projects/ProjectDialogs';
import { Timeline } from './timeline/Timeline';
import { usePlayback } from './timeline/usePlayback';
import { ToolBar } from './tools/ToolBar';
import { useKeyboardShortcuts } from './tools/useKeyboardShortcuts';
import { ShortcutSheet } from './ui/ShortcutSheet';

/** The connected studio. */
export function App() {
  const services = useServices();
  useKeyboardShortcuts(services);
  usePlayback(services);
  const isDragging = useFileDrop(services);

  return (
    <div className="studio">
      <ToolBar />
      <LibraryPanel />
      <main className="centre">
        <CanvasView />
        <Timeline />
      </main>
      <aside className="panel settings-panel" aria-label="Settings">
        <ViewPanel />
        <ModelSection />
        <RefinementPanel />
        <ExportPanel />
      </aside>
      <JobsBar />
      <StatusLine />
      <OpenDialog />
      <BatchDialog />
      <ModelsDialog />
      <ProjectDialogs />
      <ShortcutSheet />
      {isDragging && (
        <div className="drop-overlay" aria-hidden>
          Drop to open
        </div>
      )}
    </div>
  );
}
