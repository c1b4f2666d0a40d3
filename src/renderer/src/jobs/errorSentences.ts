/** Turns errors into the plain sentences the studio shows, always naming the item they concern. */
import { isStudioError } from '../../../shared/errors';

/** The user-facing message of anything thrown: a StudioError's sentence, or a generic one. */
export function describeError(error: unknown): string {
  if (isStudioError(error)) return error.message;
  if (error instanceof Error && error.message) return `Something went wrong (${error.message}).`;
  return 'Something went wrong.';
}

/** True for the error a cancelled request rejects with, which the studio never reports as a failure. */
export function isCancellation(error: unknown): boolean {
  return isStudioError(error, 'CANCELLED') || (error instanceof DOMException && error.name === 'AbortError');
}

/** The text ending in a full stop (unless it already ends a sentence). */
export const withFullStop = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);

/** e.g. `Could not cut out “beach.jpg”: The model file is missing.` */
export function failureSentence(action: string, itemName: string, error: unknown): string {
  return withFullStop(`Could not ${action} “${itemName}”: ${withFullStop(describeError(error))}`);
}

/** The last part of a path, for naming files in sentences (both separators, trailing ones ignored). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return index >= 0 ? trimmed.slice(index + 1) : trimmed;
}

/** The folder part of a path (`/a/b.png` → `/a`), keeping the path's own separator. */
export function folderName(path: string): string {
  const index = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (index < 0) return '.';
  return index === 0 ? path.slice(0, 1) : path.slice(0, index);
}
