/**
 * The "On picture" view's picture as part of a project: what a save sends (the name and the engine's kept copy), and
 * showing an opened project's picture again, fetched back from the engine by the name of its kept copy (the renderer
 * holds no file in the web shell).
 */
import { backgroundPicturePath } from '../../../shared/contract/mediaPaths';
import { baseName, describeError, withFullStop } from '../jobs/errorSentences';
import { replaceBackgroundImage, type UiState, type UiStore } from '../ui/uiStore';

/** A background picture in a project document. */
export interface ProjectBackgroundPicture {
  readonly name: string;
  /** The copy the engine keeps. */
  readonly path: string;
}

/** The view's picture as a save carries it; undefined when none is chosen. */
export function backgroundForSave(picture: UiState['backgroundImage']): ProjectBackgroundPicture | undefined {
  return picture ? { name: picture.name, path: picture.enginePath } : undefined;
}

/** Decodes a picture the engine serves. */
async function fetchBitmap(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the engine answered ${response.status}`);
  return createImageBitmap(await response.blob());
}

const loadsInFlight = new WeakMap<UiStore, number>();

/**
 * Shows an opened project's picture, or clears the view's picture when the project has none (the picture belongs to
 * the project). Resolves with a warning sentence when the picture could not be shown. A later call wins over an
 * earlier one still fetching (two projects opened in quick succession).
 */
export async function showProjectBackground(
  ui: UiStore,
  toMediaUrl: (path: string) => string,
  picture: ProjectBackgroundPicture | undefined,
  load: (url: string) => Promise<ImageBitmap> = fetchBitmap,
): Promise<string | undefined> {
  const generation = (loadsInFlight.get(ui) ?? 0) + 1;
  loadsInFlight.set(ui, generation);
  if (!picture) {
    replaceBackgroundImage(ui, null);
    return undefined;
  }
  try {
    const bitmap = await load(toMediaUrl(backgroundPicturePath(baseName(picture.path))));
    if (loadsInFlight.get(ui) !== generation) {
      bitmap.close();
      return undefined;
    }
    replaceBackgroundImage(ui, { name: picture.name, bitmap, enginePath: picture.path });
    return undefined;
  } catch (error) {
    if (loadsInFlight.get(ui) === generation) replaceBackgroundImage(ui, null);
    return `The background picture “${picture.name}” could not be shown: ${withFullStop(describeError(error))}`;
  }
}
