/** Export: format (still or clip formats), output folder, and the Export button for the active or selected items. */
import { useShallow } from 'zustand/react/shallow';
import { clipExportFormats, stillExportFormats } from '../../../shared/contract/studioContract';
import { useDocument, useJobs, useServices, useUi } from '../app/servicesContext';
import { selectActiveItem, selectSelectedItems } from '../document/documentSelectors';
import { compositeBackground } from '../jobs/compositeBackground';
import { defaultOutputDir, exportItem } from '../jobs/exportItems';
import { updateUi } from '../ui/uiStore';
import { canonicalFormat, formatSpec, type OutputItemKind } from '../../../shared/outputFormats';

/** The export menu's words for a format, from the one format table (the menu still says `matte-png` and `png`). */
const formatLabel = (format: string, kind: OutputItemKind) => {
  const id = canonicalFormat(format, kind);
  return (id && formatSpec(id, kind)?.label) ?? format;
};

/** The export section. */
export function ExportPanel() {
  const services = useServices();
  const item = useDocument(selectActiveItem);
  const selected = useDocument(useShallow(selectSelectedItems));
  const formats = useUi((state) => state.exportFormats);
  const outputDir = useUi((state) => state.outputDir);
  const isExporting = useJobs((state) => state.jobs.some((job) => job.kind === 'export'));
  const view = useDocument((state) => state.view);
  const picture = useUi((state) => state.backgroundImage);
  if (!item) return null;
  const background = compositeBackground(view, picture);

  const targets = selected.length > 1 ? selected : [item];
  const kind = item.kind === 'clip' ? 'clip' : 'image';
  const options = kind === 'clip' ? clipExportFormats : stillExportFormats;
  const format = formats[kind];
  const run = async () => {
    for (const target of targets) {
      const targetFormat = services.ui.getState().exportFormats[target.kind === 'clip' ? 'clip' : 'image'];
      await exportItem(services, target, targetFormat, services.ui.getState().outputDir.trim());
    }
  };

  return (
    <section className="panel-section" aria-label="Export">
      <h3>Export</h3>
      <div className="field-row">
        <label className="field-label" htmlFor="export-format">
          Format
        </label>
        <select
          id="export-format"
          className="select"
          value={format}
          data-testid="export-format"
          onChange={(event) => updateUi(services.ui, { exportFormats: { ...formats, [kind]: event.target.value } })}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {formatLabel(option, kind)}
            </option>
          ))}
        </select>
      </div>
      {format === 'mp4' && (
        <p className="field-note" data-testid="export-composite-background" title={`Composited on ${background.description}, as the view shows it`}>
          Composited on {background.description}, as the view shows it.
        </p>
      )}
      <div className="field-column">
        <label className="field-label" htmlFor="export-output-dir">
          Output folder
        </label>
        <input
          id="export-output-dir"
          type="text"
          className="text-input"
          value={outputDir}
          placeholder={defaultOutputDir(item.path)}
          data-testid="export-output-dir"
          onChange={(event) => updateUi(services.ui, { outputDir: event.target.value })}
        />
      </div>
      <button type="button" className="button primary wide" data-testid="export-button" disabled={isExporting} onClick={() => void run()}>
        {targets.length > 1 ? `Export ${targets.length} items` : 'Export'}
      </button>
    </section>
  );
}
