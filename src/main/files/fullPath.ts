import { isAbsolute } from 'node:path';
import { StudioError } from '../../shared/errors';

/**
 * Refuses a folder the studio was given as anything but a full path. The studio's engine runs wherever it was
 * started (the web shell in a terminal's folder), so `out` or `~/cutouts` would land somewhere the user did not mean
 * (`~` is the shell's shorthand, not a folder: it became a folder named "~").
 * @throws StudioError INVALID_INPUT
 */
export function requireFullFolderPath(folder: string): string {
  if (!isAbsolute(folder)) throw new StudioError('INVALID_INPUT', `Type the output folder's full path (for example ${process.platform === 'win32' ? 'C:\\Users\\me\\cutouts' : '/home/me/cutouts'}), not “${folder}”.`);
  return folder;
}
