/**
 * What an MP4 composite is laid over, chosen one way for Export and Batch Export: what the canvas shows. In the
 * "On picture" view with a picture chosen, that picture (the copy the engine keeps, see `backgroundPicture.ts`);
 * otherwise the colour of the "On colour" view.
 */
import type { ViewState } from '../document/documentStore';
import type { UiState } from '../ui/uiStore';

/** The background a composite export uses, with the words the Export panel shows for it. */
export interface CompositeBackground {
  /** Passed as exportItem's and runBatch's `background`: a picture path the engine kept, or `#rrggbb`. */
  readonly value: string;
  readonly description: string;
}

/** The composite background for the current view. */
export function compositeBackground(view: Pick<ViewState, 'viewMode' | 'backgroundColor'>, picture: UiState['backgroundImage']): CompositeBackground {
  if (view.viewMode === 'image' && picture) return { value: picture.enginePath, description: `the picture “${picture.name}”` };
  return { value: view.backgroundColor, description: `the colour ${view.backgroundColor}` };
}
