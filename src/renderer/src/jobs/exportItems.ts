/** Exports items as jobs: hand edits are sent first, progress and Cancel show in the jobs bar, results as notices. */
import { defaultOutputFolder } from '../../../shared/defaultOutputFolder';
import type { StudioServices } from '../app/studioServices';
import type { DocumentItem } from '../document/documentStore';
import { compositeBackground } from './compositeBackground';
import { failureSentence, isCancellation } from './errorSentences';
import { createJobId, finishJob, pushNotice, startJob } from './jobStore';

/**
 * The default output folder of one source: beside its folder, never inside it (`/photos/a.jpg` → `/photos cutouts`),
 * so opening that folder again does not pick up the outputs. See `shared/defaultOutputFolder.ts`.
 */
export function defaultOutputDir(sourcePath: string): string {
  return defaultOutputFolder([sourcePath]);
}

/** Exports one item with its own settings; resolves when done, failed or cancelled (never rejects). */
export async function exportItem(services: StudioServices, item: DocumentItem, format: string, outputDir: string): Promise<boolean> {
  const { api } = services.connection;
  const { jobs } = services;
  const settings = services.store.getState().settings[item.id];
  if (!settings) return false;
  const controller = new AbortController();
  const jobId = createJobId();
  startJob(jobs, { jobId, kind: 'export', itemId: item.id, title: `Exporting “${item.name}”`, cancel: () => controller.abort() });
  try {
    await services.maskSync.flush(item.id);
    // MP4 has no alpha: it is composited over what the view shows behind the cut-out (compositeBackground.ts). The
    // model is the one that made the matte on screen (the engine remembers the last matteItem's), so none is passed.
    const background = format === 'mp4' ? compositeBackground(services.store.getState().view, services.ui.getState().backgroundImage).value : undefined;
    const result = await api.exportItem(
      { jobId, itemId: item.id, format, outputDir: outputDir || defaultOutputDir(item.path), settings, ...(background ? { background } : {}) },
      { signal: controller.signal },
    );
    pushNotice(jobs, 'info', `Exported “${item.name}” to ${result.output}.`);
    if (result.alphaVerified === false) pushNotice(jobs, 'warning', `“${item.name}” was exported, but its transparency could not be verified in ${result.output}.`);
    if (item.kind === 'clip') void services.matting.refreshFlaggedFrames(item.id);
    return true;
  } catch (error) {
    if (isCancellation(error)) pushNotice(jobs, 'info', `Export of “${item.name}” was cancelled.`);
    else pushNotice(jobs, 'error', failureSentence('export', item.name, error));
    return false;
  } finally {
    finishJob(jobs, jobId);
  }
}
