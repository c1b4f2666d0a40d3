import { expectation } from '../imageTypes';
import type { CartoonDetection } from './detectCartoon';

/** The user's cartoon-mode setting, in UI order. */
export const CARTOON_MODES = ['auto', 'on', 'off'] as const;

/** `'auto'` follows {@link detectCartoon}; `'on'` and `'off'` override it. */
export type CartoonMode = (typeof CARTOON_MODES)[number];

/**
 * Decides whether cartoon handling (outline protection) applies to an image.
 * @param mode The user's setting; anything else throws `TypeError`.
 * @param detection The detector's verdict; required for `'auto'`, ignored otherwise.
 * @returns `true` for `'on'`, `false` for `'off'`, `detection.isCartoon` for `'auto'`.
 */
export function resolveCartoonMode(mode: CartoonMode, detection?: Pick<CartoonDetection, 'isCartoon'>): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  if (mode !== 'auto') throw new TypeError(expectation(`one of ${CARTOON_MODES.join(', ')}`, 'mode', mode));
  if (detection === undefined) throw new TypeError(expectation('a detection result in auto mode', 'detection', 'undefined'));
  return detection.isCartoon;
}
