/** Resuming a clip's background pass after it was cancelled or failed (the timeline's Resume button). */
import type { StudioServices } from '../app/studioServices';
import { failureSentence } from '../jobs/errorSentences';
import { pushNotice } from '../jobs/jobStore';

/** Asks the engine to start the pass again with the model the studio has chosen; the frames it matted are kept. */
export async function resumeBackgroundMatting(services: Pick<StudioServices, 'connection' | 'ui' | 'jobs'>, itemId: string, itemName: string): Promise<void> {
  const modelId = services.ui.getState().modelId ?? undefined;
  try {
    await services.connection.api.startBackgroundMatting({ itemId, ...(modelId ? { modelId } : {}) });
  } catch (error) {
    pushNotice(services.jobs, 'error', failureSentence('resume matting', itemName, error));
  }
}
